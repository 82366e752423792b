/**
 * The real-cluster suite's harness: the offline toolchain (or fail with one line saying what is missing), and a
 * throw-away copy of the project — compiled program, provider, manifests, policy pack, its own state and work
 * directories — on which the real Pulumi CLI runs, as a user's fresh clone would.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { toolchainEnv } from "../../../lib/toolchain/env.js";
import { readToolchainProfile } from "../../../lib/toolchain/profile.js";
import { PROJECT_ROOT } from "../../../lib/stack-scope.js";
import { toolchainLayout } from "../../../lib/toolchain/layout.js";
export { freePort } from "../../support/ports.js";

/** The toolchain's busybox image: a base to build test images FROM without a registry. */
export const BUSYBOX_BASE = "localhost/kubernaut-e2e/local-path-helper:busybox";

export interface Toolchain {
    /** Environment that makes every command use the toolchain. */
    readonly env: Record<string, string>;
    readonly bin: (tool: "pulumi" | "kind" | "kubectl" | "kwok") => string;
    /** The node image, pinned by digest. */
    readonly nodeImage: string;
    readonly podman: string;
}

let cached: Toolchain | undefined;

/** The toolchain this machine has built; throws a one-line reason when something the suite needs is missing. */
export async function requireToolchain(): Promise<Toolchain> {
    if (cached) return cached;
    const podman = process.env.KUBERNAUT_E2E_PODMAN ?? "podman";
    const layout = toolchainLayout();
    const env = toolchainEnv(layout, process.env);
    const missing = ["pulumi", "pulumi-language-nodejs", "kind", "kubectl"].filter(
        (tool) => !fs.existsSync(path.join(layout.binDir, tool)),
    );
    const nodeImage = readToolchainProfile({ ...process.env, KUBERNAUT_E2E_TOOLCHAIN_PROFILE: "" })?.nodeImage;
    if (!nodeImage) missing.push("the kind node image");
    if (missing.length)
        throw new Error(
            `the real-cluster suite needs the offline toolchain (missing: ${missing.join(", ")}); run \`npm run toolchain -- build\``,
        );
    cached = { env, bin: (tool) => path.join(layout.binDir, tool), nodeImage: nodeImage!, podman };
    return cached;
}

/** A name no other run on this host uses: kind clusters and images are host-wide. */
export function uniqueName(prefix: string): string {
    return `${prefix}-${crypto.randomBytes(3).toString("hex")}`;
}

export interface CommandResult {
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly seconds: number;
}

/** A step of `pulumi preview|up --json`. */
export interface EngineStep {
    readonly op: string;
    readonly urn: string;
}

/**
 * The steps of `pulumi preview --json` (one document with `steps`) or of `pulumi up --skip-preview --json` (engine
 * events, one per line: each step starts with a `resourcePreEvent`).
 */
export function stepsOf(json: string): EngineStep[] {
    const text = json.trim();
    if (!text.startsWith("{\n") && text.includes("\n")) {
        return text.split("\n").flatMap((line) => {
            const event = JSON.parse(line) as { resourcePreEvent?: { planning?: boolean; metadata: EngineStep } };
            return event.resourcePreEvent && !event.resourcePreEvent.planning
                ? [{ op: event.resourcePreEvent.metadata.op, urn: event.resourcePreEvent.metadata.urn }]
                : [];
        });
    }
    return (JSON.parse(text) as { steps?: EngineStep[] }).steps ?? [];
}

/** The resource name (last URN segment) of every step whose op is not `same`. */
export function changed(steps: readonly EngineStep[]): string[] {
    return steps
        .filter((s) => s.op !== "same" && s.op !== "read")
        .map((s) => `${s.op} ${s.urn.split("::").pop()}`)
        .sort();
}

/** What a fresh clone runs from, once built (sources left out: the copy runs the compiled program). */
const COPIED = [
    "tsconfig.json",
    "package.json",
    "Pulumi.yaml",
    "bin",
    "provider",
    "manifests",
    "policy",
    "stacks/program.mjs",
    "lib/ensure-built.mjs",
    "toolchain/ubi",
];

export class ProjectCopy {
    readonly dir: string;
    readonly env: Record<string, string>;

    private constructor(dir: string, env: Record<string, string>) {
        this.dir = dir;
        this.env = env;
    }

    /** Copies the built project into a fresh directory with its own state, work and cache directories. */
    static async create(
        toolchain: Toolchain,
        extraEnv: Record<string, string> = {},
        at?: string,
    ): Promise<ProjectCopy> {
        // `at`: a given (new) directory, e.g. the path another working copy had, as on a second machine.
        const dir = at ?? fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-cluster-"));
        fs.mkdirSync(dir, { recursive: true });
        // Timestamps kept, so the copy's build is as current as the project's and nothing recompiles.
        for (const entry of COPIED)
            fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry), {
                recursive: true,
                verbatimSymlinks: true,
                preserveTimestamps: true,
            });
        // The copied build is the build of the copied sources (the suite builds first); copying may round timestamps,
        // which must not make the copy look stale and recompile without the sources it does not carry.
        const now = new Date();
        fs.utimesSync(path.join(dir, "bin", ".tsbuildinfo"), now, now);
        fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
        fs.mkdirSync(path.join(dir, ".pulumi-state"));
        const env = {
            ...toolchain.env,
            PULUMI_CONFIG_PASSPHRASE: "",
            XDG_CACHE_HOME: path.join(dir, ".cache"),
            KUBERNAUT_E2E_PODMAN: toolchain.podman,
            ...extraEnv,
        };
        return new ProjectCopy(dir, env);
    }

    async pulumi(
        args: readonly string[],
        options: { stack?: string; reject?: boolean; env?: Record<string, string> } = {},
    ): Promise<CommandResult> {
        const started = performance.now();
        const full = options.stack ? [...args, "--stack", options.stack] : [...args];
        const result = await execa(path.join(this.env.PATH.split(path.delimiter)[0], "pulumi"), full, {
            cwd: this.dir,
            env: { ...this.env, ...options.env },
            reject: false,
            extendEnv: true,
        });
        const outcome = {
            exitCode: result.exitCode ?? -1,
            stdout: String(result.stdout),
            stderr: String(result.stderr),
            seconds: (performance.now() - started) / 1000,
        };
        if (options.reject !== false && outcome.exitCode !== 0) {
            throw new Error(
                `pulumi ${full.join(" ")} failed (exit ${outcome.exitCode}):\n${outcome.stdout.slice(-4000)}\n${outcome.stderr.slice(-4000)}`,
            );
        }
        return outcome;
    }

    /** Starts the CLI without waiting: for scenarios that interrupt it. */
    spawnPulumi(args: readonly string[], stack: string, env: Record<string, string> = {}) {
        return execa(path.join(this.env.PATH.split(path.delimiter)[0], "pulumi"), [...args, "--stack", stack], {
            cwd: this.dir,
            env: { ...this.env, ...env },
            reject: false,
            extendEnv: true,
        });
    }

    /** One of the project's commands as its npm script runs it (`npm run e2e -- …` is `node bin/cli/e2e.js …`). */
    async command(name: string, args: readonly string[]): Promise<{ exitCode: number; output: string }> {
        const result = await execa("node", [path.join(this.dir, "bin", "cli", `${name}.js`), ...args], {
            cwd: this.dir,
            env: this.env,
            reject: false,
            extendEnv: true,
            all: true,
        });
        return { exitCode: result.exitCode ?? -1, output: String(result.all) };
    }

    /** The project's own wrapper, as a user runs it: `npm run up|preview|destroy -- <stack> …`. */
    async wrapper(
        verb: "up" | "preview" | "destroy",
        stack: string,
        args: readonly string[] = [],
    ): Promise<CommandResult> {
        const started = performance.now();
        const result = await execa("node", [path.join(this.dir, "bin", "cli", "pulumi.js"), verb, stack, ...args], {
            cwd: this.dir,
            env: this.env,
            reject: false,
            extendEnv: true,
            all: true,
        });
        return {
            exitCode: result.exitCode ?? -1,
            stdout: String(result.stdout),
            stderr: String(result.stderr),
            seconds: (performance.now() - started) / 1000,
        };
    }

    /** Moves the copy (its files and state) elsewhere, as if another machine had it. */
    moveTo(dir: string): ProjectCopy {
        fs.renameSync(this.dir, dir);
        return new ProjectCopy(dir, { ...this.env, XDG_CACHE_HOME: path.join(dir, ".cache") });
    }

    /** Creates `stack` with a passphrase secrets provider and sets `config` (keys without the namespace). */
    async initStack(stack: string, config: Record<string, string | number | boolean | object>): Promise<void> {
        await this.pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]);
        // The program JSON-decodes config values, so numbers, booleans and objects travel as their JSON text.
        for (const [key, value] of Object.entries(config)) {
            await this.pulumi(
                ["config", "set", `kubernaut-e2e:${key}`, typeof value === "string" ? value : JSON.stringify(value)],
                { stack },
            );
        }
    }

    async kubectl(toolchain: Toolchain, kubeconfig: string, args: readonly string[]): Promise<CommandResult> {
        const started = performance.now();
        const result = await execa(toolchain.bin("kubectl"), ["--kubeconfig", kubeconfig, ...args], { reject: false });
        return {
            exitCode: result.exitCode ?? -1,
            stdout: String(result.stdout),
            stderr: String(result.stderr),
            seconds: (performance.now() - started) / 1000,
        };
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Deletes kind clusters by name, whatever state the test left them in. */
export async function deleteClusters(toolchain: Toolchain, names: readonly string[]): Promise<void> {
    for (const name of names) {
        await execa(toolchain.bin("kind"), ["delete", "cluster", "--name", name], {
            env: { KIND_EXPERIMENTAL_PROVIDER: "podman" },
            reject: false,
        });
    }
}

/** The state of the resource named `name` in a `pulumi stack export`. */
export function exported(exportJson: string, name: string): { outputs?: Record<string, unknown> } | undefined {
    const deployment = (
        JSON.parse(exportJson) as {
            deployment: { resources?: Array<{ urn: string; outputs?: Record<string, unknown> }> };
        }
    ).deployment;
    return deployment.resources?.find((r) => r.urn.endsWith(`::${name}`));
}

/** GETs `url` until its body matches `pattern` (Service endpoints follow a rollout within seconds), or fails. */
export async function eventuallyFetch(url: string, pattern: RegExp, seconds = 30): Promise<string> {
    const deadline = Date.now() + seconds * 1000;
    let last = "";
    while (Date.now() < deadline) {
        try {
            last = await (await fetch(url)).text();
            if (pattern.test(last)) return last;
        } catch (err) {
            last = String(err);
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${url} did not answer ${pattern} within ${seconds} s; last answer: ${last.slice(0, 300)}`);
}

/**
 * What a scenario adds to Podman's store: snapshot before it, remove the difference after — its images, their
 * intermediate layers, the dangling images a rebuild under the same tag leaves, and the names it gave images that
 * were there before (a registry-named build of an image the cache already had). Scenarios run one at a time, but a
 * toolchain build may run beside them: images named under the toolchain's repository are never removed (a real run
 * once lost the toolchain's nginx stand-in that way).
 */
/** Where the toolchain names the images it builds (toolchain/actions); smoke-e2e's own images share the prefix. */
const isToolchainImage = (name: string) =>
    name.startsWith("localhost/kubernaut-e2e/") && !name.startsWith("localhost/kubernaut-e2e/smoke-");

export async function podmanImagesSnapshot(toolchain: Toolchain): Promise<() => Promise<void>> {
    const list = async () =>
        String(
            (
                await execa(
                    toolchain.podman,
                    ["images", "--all", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"],
                    { reject: false },
                )
            ).stdout,
        )
            .split("\n")
            .filter(Boolean)
            .map((line) => line.split(" ") as [string, string]);
    const before = await list();
    const ids = new Set(before.map(([id]) => id));
    const names = new Set(before.map(([id, name]) => `${id} ${name}`));
    return async () => {
        const after = await list();
        const toolchains = new Set(after.filter(([, name]) => isToolchainImage(name)).map(([id]) => id));
        const added = [...new Set(after.map(([id]) => id).filter((id) => !ids.has(id) && !toolchains.has(id)))];
        if (added.length) await execa(toolchain.podman, ["rmi", "--force", ...added], { reject: false });
        for (const [id, name] of after) {
            if (ids.has(id) && !names.has(`${id} ${name}`) && name !== "<none>:<none>")
                await execa(toolchain.podman, ["untag", id, name], { reject: false });
        }
    };
}
