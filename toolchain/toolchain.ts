/**
 * The offline toolchain: every action in build order, the prerequisites they need on the host, and the runner that
 * builds what is missing, resumes after the last finished action, and reports what each took.
 */
import * as os from "node:os";
import type { ProfileFacts, ToolchainAction, ToolchainContext } from "./action.js";
import { writeToolchainProfile, type ToolchainProfile } from "../lib/toolchain/profile.js";
import { ActionProgress, duration, DurationHistory, realClock, type Clock, type ProgressSink } from "./progress.js";
import { ENGINE_ACTIONS } from "./actions/engine.js";
import { hostTools, suiteTools } from "./actions/host-tools.js";
import { KUBERNETES_ACTIONS } from "./actions/kubernetes.js";
import { nodeImage } from "./actions/node-image.js";
import { nodeImages } from "./actions/node-images.js";
import { KUBERNAUT_ACTIONS } from "./actions/kubernaut.js";
import { KUBERNAUT_IMAGE_ACTIONS } from "./actions/kubernaut-images.js";
import { THIRD_PARTY_ACTIONS } from "./actions/third-party.js";
import { GO_IMAGE_ACTIONS } from "./actions/go-images.js";
import { tekton } from "./actions/tekton.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { inputsDigest, nextStamp, readDone, writeDone, type DoneMarker } from "./cache.js";

/** In build order: an action comes after everything it needs. */
export const ACTIONS: readonly ToolchainAction[] = [
    ...ENGINE_ACTIONS,
    ...KUBERNETES_ACTIONS,
    nodeImages,
    nodeImage,
    ...THIRD_PARTY_ACTIONS,
    ...GO_IMAGE_ACTIONS,
    tekton,
    ...KUBERNAUT_ACTIONS,
    hostTools,
    suiteTools,
    ...KUBERNAUT_IMAGE_ACTIONS,
];

export interface ActionStatus {
    readonly name: string;
    readonly description: string;
    readonly done: boolean;
    readonly seconds?: number;
}

/** Whether `marker` records the current recipe of `action`: same revision and the same input files. */
export function markerCurrent(
    action: ToolchainAction,
    marker: DoneMarker | undefined,
    root: string = PROJECT_ROOT,
): boolean {
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
export async function actionStatuses(
    ctx: ToolchainContext,
    actions: readonly ToolchainAction[] = ACTIONS,
): Promise<ActionStatus[]> {
    const statuses: ActionStatus[] = [];
    for (const action of actions) {
        const marker = readDone(ctx.layout, action.name);
        const done = upToDate(ctx, action) && (await action.present(ctx));
        statuses.push({ name: action.name, description: action.description, done, seconds: marker?.seconds });
    }
    return statuses;
}

export interface BuildOptions {
    /** Where each action's progress goes. @default - nowhere */
    readonly sink?: ProgressSink;
    /** Injectable time, for tests. @default - the real clock */
    readonly clock?: Clock;
    /** Only these actions (and nothing they need). @default - every action */
    readonly only?: readonly string[];
    /** Run these again even when done. @default [] */
    readonly rebuild?: readonly string[];
}

/**
 * Writes the profile the stacks read (`lib/toolchain/profile.ts`): the facts of every action that is built and
 * current. The images live in Podman's store, so the stacks use Podman.
 */
export async function writeProfile(
    ctx: ToolchainContext,
    actions: readonly ToolchainAction[] = ACTIONS,
): Promise<ToolchainProfile> {
    const facts: Required<ProfileFacts> = { images: {}, dockerfiles: {} } as Required<ProfileFacts>;
    for (const action of actions) {
        if (!action.profile || !upToDate(ctx, action) || !(await action.present(ctx))) continue;
        const more = await action.profile(ctx);
        Object.assign(facts, {
            ...more,
            images: { ...facts.images, ...more.images },
            dockerfiles: { ...facts.dockerfiles, ...more.dockerfiles },
        });
    }
    return writeToolchainProfile(ctx.layout, { engine: "podman", cpus: os.availableParallelism(), ...facts });
}

export interface BuildReport {
    readonly built: ReadonlyArray<{ readonly name: string; readonly seconds: number }>;
    readonly skipped: readonly string[];
}

/** Builds what is missing, in order; stops at the first failure, keeping every action finished before it. */
export async function buildToolchain(
    ctx: ToolchainContext,
    options: BuildOptions = {},
    actions: readonly ToolchainAction[] = ACTIONS,
): Promise<BuildReport> {
    const unknown = [...(options.only ?? []), ...(options.rebuild ?? [])].filter(
        (n) => !actions.some((a) => a.name === n),
    );
    if (unknown.length)
        throw new Error(
            `unknown toolchain action(s) ${unknown.map((n) => `\`${n}\``).join(", ")}; known: ${actions.map((a) => a.name).join(", ")}`,
        );
    const selected = options.only?.length ? actions.filter((a) => options.only!.includes(a.name)) : actions;
    const built: Array<{ name: string; seconds: number }> = [];
    const skipped: string[] = [];
    const started = performance.now();
    try {
        await buildEach(ctx, selected, actions, options, { built, skipped, started });
    } finally {
        // What is built is usable even when a later action failed.
        await writeProfile(ctx, actions);
    }
    return { built, skipped };
}

async function buildEach(
    ctx: ToolchainContext,
    selected: readonly ToolchainAction[],
    actions: readonly ToolchainAction[],
    options: BuildOptions,
    report: { built: Array<{ name: string; seconds: number }>; skipped: string[]; started: number },
): Promise<void> {
    const { built, skipped, started } = report;
    for (const action of selected) {
        const current = upToDate(ctx, action) && (await action.present(ctx));
        if (current && !options.rebuild?.includes(action.name)) {
            skipped.push(action.name);
            continue;
        }
        for (const need of action.needs ?? []) {
            const needed = actions.find((a) => a.name === need)!;
            if (!markerCurrent(needed, readDone(ctx.layout, need)))
                throw new Error(
                    `toolchain: \`${action.name}\` needs \`${need}\`, which is not built; run \`toolchain build\` without --only`,
                );
        }
        const history = DurationHistory.at(ctx.layout.root);
        const last = history.last(action.name);
        ctx.log(
            `toolchain: ${action.name}: building ${action.description} (${elapsed(started)} elapsed${last === undefined ? "" : `; it took ${duration(last)} last time`})`,
        );
        const t0 = performance.now();
        const progress = options.sink
            ? new ActionProgress(action.name, last, options.sink, options.clock ?? realClock)
            : undefined;
        const log = (line: string) => {
            options.sink?.clear();
            ctx.log(line);
        };
        try {
            await action.run({ ...ctx, log, ...(progress ? { progress } : {}) });
        } catch (err) {
            throw new Error(
                `toolchain: ${action.name} failed after ${Math.round((performance.now() - t0) / 1000)} s: ${(err as Error).message}`,
            );
        } finally {
            progress?.stop();
            options.sink?.clear();
        }
        const seconds = Math.round((performance.now() - t0) / 100) / 10;
        history.record(action.name, seconds);
        const digest = action.inputs?.length ? inputsDigest(PROJECT_ROOT, action.inputs) : undefined;
        writeDone(ctx.layout, {
            action: action.name,
            revision: action.revision,
            inputsDigest: digest,
            seconds,
            finishedAt: new Date().toISOString(),
            stamp: nextStamp(),
        });
        built.push({ name: action.name, seconds });
        ctx.log(`toolchain: ${action.name}: done in ${seconds} s`);
    }
}

function elapsed(since: number): string {
    const s = Math.round((performance.now() - since) / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
