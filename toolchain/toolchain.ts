/**
 * The offline toolchain: every action in build order, the prerequisites they need on the host, and the runner that
 * builds what is missing, resumes after the last finished action, and reports what each took.
 */
import * as fs from "node:fs";
import { findOnPath } from "../lib/engine.js";
import type { ToolchainAction, ToolchainContext } from "./action.js";
import { ENGINE_ACTIONS } from "./actions/engine.js";
import { hostTools } from "./actions/host-tools.js";
import { KUBERNETES_ACTIONS } from "./actions/kubernetes.js";
import { nodeImage } from "./actions/node-image.js";
import { nodeImages } from "./actions/node-images.js";
import { KUBERNAUT_ACTIONS } from "./actions/kubernaut.js";
import { KUBERNAUT_IMAGE_ACTIONS } from "./actions/kubernaut-images.js";
import { THIRD_PARTY_ACTIONS } from "./actions/third-party.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { inputsDigest, nextStamp, readDone, writeDone, type DoneMarker } from "./cache.js";

/** In build order: an action comes after everything it needs. */
export const ACTIONS: readonly ToolchainAction[] = [...ENGINE_ACTIONS, ...KUBERNETES_ACTIONS, hostTools, nodeImages, nodeImage, ...THIRD_PARTY_ACTIONS, ...KUBERNAUT_ACTIONS, ...KUBERNAUT_IMAGE_ACTIONS];

/** Host programs the build runs, and the Debian package that has each. */
export const PREREQUISITES: ReadonlyArray<{ readonly program: string; readonly debian: string; readonly file?: string }> = [
    { program: "go", debian: "golang (or Go from go.dev; 1.26 here)" },
    { program: "gcc", debian: "gcc" },
    { program: "strip", debian: "binutils" },
    { program: "podman", debian: "podman" },
    { program: "debootstrap", debian: "debootstrap" },
    { program: "apt-get", debian: "apt" },
    { program: "dpkg-deb", debian: "dpkg" },
    { program: "tar", debian: "tar" },
    { program: "git", debian: "git" },
    { program: "cp", debian: "coreutils" },
    { program: "libseccomp headers", debian: "libseccomp-dev", file: "/usr/include/seccomp.h" },
    { program: "static libc", debian: "libc6-dev", file: "/usr/lib/x86_64-linux-gnu/libc.a" },
];

/** Every missing prerequisite, as `program (apt-get install package)`. */
export function missingPrerequisites(env: NodeJS.ProcessEnv = process.env): string[] {
    return PREREQUISITES.filter((p) => (p.file ? !fs.existsSync(p.file) : !findOnPath(p.program, env))).map((p) => `${p.program} (install ${p.debian})`);
}

export interface ActionStatus {
    readonly name: string;
    readonly description: string;
    readonly done: boolean;
    readonly seconds?: number;
}

/** Whether `marker` records the current recipe of `action`: same revision and the same input files. */
export function markerCurrent(action: ToolchainAction, marker: DoneMarker | undefined, root: string = PROJECT_ROOT): boolean {
    if (marker?.revision !== action.revision) return false;
    return !action.inputs?.length || marker.inputsDigest === inputsDigest(root, action.inputs);
}

/** Current, and built after everything it needs: a rebuilt dependency makes its users stale. */
function upToDate(ctx: ToolchainContext, action: ToolchainAction): boolean {
    const marker = readDone(ctx.layout, action.name);
    if (!markerCurrent(action, marker)) return false;
    return (action.needs ?? []).every((need) => (readDone(ctx.layout, need)?.stamp ?? 0) < marker!.stamp);
}

/** Whether each action's recorded result is current and still there. */
export async function actionStatuses(ctx: ToolchainContext, actions: readonly ToolchainAction[] = ACTIONS): Promise<ActionStatus[]> {
    const statuses: ActionStatus[] = [];
    for (const action of actions) {
        const marker = readDone(ctx.layout, action.name);
        const done = upToDate(ctx, action) && (await action.present(ctx));
        statuses.push({ name: action.name, description: action.description, done, seconds: marker?.seconds });
    }
    return statuses;
}

export interface BuildOptions {
    /** Only these actions (and nothing they need). @default - every action */
    readonly only?: readonly string[];
    /** Run these again even when done. @default [] */
    readonly rebuild?: readonly string[];
}

export interface BuildReport {
    readonly built: ReadonlyArray<{ readonly name: string; readonly seconds: number }>;
    readonly skipped: readonly string[];
}

/** Builds what is missing, in order; stops at the first failure, keeping every action finished before it. */
export async function buildToolchain(ctx: ToolchainContext, options: BuildOptions = {}, actions: readonly ToolchainAction[] = ACTIONS): Promise<BuildReport> {
    const unknown = [...(options.only ?? []), ...(options.rebuild ?? [])].filter((n) => !actions.some((a) => a.name === n));
    if (unknown.length) throw new Error(`unknown toolchain action(s) ${unknown.map((n) => `\`${n}\``).join(", ")}; known: ${actions.map((a) => a.name).join(", ")}`);
    const selected = options.only?.length ? actions.filter((a) => options.only!.includes(a.name)) : actions;
    const built: Array<{ name: string; seconds: number }> = [];
    const skipped: string[] = [];
    const started = performance.now();
    for (const action of selected) {
        const current = upToDate(ctx, action) && (await action.present(ctx));
        if (current && !options.rebuild?.includes(action.name)) {
            skipped.push(action.name);
            continue;
        }
        for (const need of action.needs ?? []) {
            const needed = actions.find((a) => a.name === need)!;
            if (!markerCurrent(needed, readDone(ctx.layout, need))) throw new Error(`toolchain: \`${action.name}\` needs \`${need}\`, which is not built; run \`toolchain build\` without --only`);
        }
        ctx.log(`toolchain: ${action.name}: building ${action.description} (${elapsed(started)} elapsed)`);
        const t0 = performance.now();
        try {
            await action.run(ctx);
        } catch (err) {
            throw new Error(`toolchain: ${action.name} failed after ${Math.round((performance.now() - t0) / 1000)} s: ${(err as Error).message}`);
        }
        const seconds = Math.round((performance.now() - t0) / 100) / 10;
        const digest = action.inputs?.length ? inputsDigest(PROJECT_ROOT, action.inputs) : undefined;
        writeDone(ctx.layout, { action: action.name, revision: action.revision, inputsDigest: digest, seconds, finishedAt: new Date().toISOString(), stamp: nextStamp() });
        built.push({ name: action.name, seconds });
        ctx.log(`toolchain: ${action.name}: done in ${seconds} s`);
    }
    return { built, skipped };
}

function elapsed(since: number): string {
    const s = Math.round((performance.now() - since) / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
