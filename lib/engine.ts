/**
 * Which container engine builds, saves and inspects images: Docker or Podman.
 *
 * kind itself picks its node provider from `KIND_EXPERIMENTAL_PROVIDER`, so the engine follows the same variable: a
 * cluster whose nodes run on Podman must be fed images from Podman's store.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const ENGINE_NAMES = ["docker", "podman"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** A resolved engine: its name and the binary to run. */
export interface ContainerEngine {
    readonly name: EngineName;
    /** Executable path or name on PATH. */
    readonly bin: string;
}

/**
 * Environment variables that name an engine's binary. Two Docker clients can coexist (e.g. a new client without
 * buildx ahead of an older one with BuildKit on PATH), so the choice is explicit where it matters.
 */
export const ENGINE_BIN_ENV: Readonly<Record<EngineName, string>> = {
    docker: "KUBERNAUT_E2E_DOCKER",
    podman: "KUBERNAUT_E2E_PODMAN",
};

export interface ResolveEngineOptions {
    /** Engine asked for by flag or stack config. @default - auto-detected */
    readonly requested?: EngineName;
    /** Binary asked for by flag or stack config. @default - from {@link ENGINE_BIN_ENV}, then PATH */
    readonly bin?: string;
    readonly env?: NodeJS.ProcessEnv;
    /** Fail when the binary is not on PATH. Stack programs pass false: planning needs only the name. @default true */
    readonly verify?: boolean;
}

/**
 * Podman when asked for, when `KIND_EXPERIMENTAL_PROVIDER=podman`, or when only Podman is installed; Docker
 * otherwise — and Podman whenever the `docker` binary is Podman in disguise (`podman-docker`, the default on
 * Fedora and RHEL), since kind's nodes then run on Podman. Throws when the engine cannot be found.
 */
export function resolveEngine(options: ResolveEngineOptions = {}): ContainerEngine {
    const env = options.env ?? process.env;
    const asked = options.requested ?? detectEngine(env);
    const bin = options.bin ?? env[ENGINE_BIN_ENV[asked]] ?? asked;
    const found = path.isAbsolute(bin) ? bin : findOnPath(bin, env);
    if (options.verify !== false && !found) {
        throw new Error(
            `container engine \`${asked}\` was not found on PATH; install it or set \`${ENGINE_BIN_ENV[asked]}\``,
        );
    }
    return { name: (found && engineNameOf(found)) || asked, bin };
}

/**
 * What an engine binary really is, from the file alone (no process is started): Podman when it is, or links to, a
 * `podman` binary, or is a small script that runs Podman (podman-docker's `/usr/bin/docker`); undefined when it
 * cannot tell, which callers read as "what it is called".
 */
export function engineNameOf(file: string): EngineName | undefined {
    let real: string;
    try {
        real = fs.realpathSync(file);
    } catch {
        return undefined;
    }
    if (path.basename(real) === "podman") return "podman";
    try {
        const fd = fs.openSync(real, "r");
        const head = Buffer.alloc(4096);
        const bytes = fs.readSync(fd, head, 0, head.length, 0);
        fs.closeSync(fd);
        const text = head.subarray(0, bytes).toString("latin1");
        if (text.startsWith("#!") && /\bpodman\b/.test(text)) return "podman";
    } catch {
        return undefined;
    }
    return undefined;
}

/** The engine's name from the environment and PATH alone (see {@link resolveEngine} for what the binary is). */
export function detectEngine(env: NodeJS.ProcessEnv = process.env): EngineName {
    if (env.KIND_EXPERIMENTAL_PROVIDER === "podman") return "podman";
    if (env[ENGINE_BIN_ENV.docker] || findOnPath("docker", env)) return "docker";
    if (env[ENGINE_BIN_ENV.podman] || findOnPath("podman", env)) return "podman";
    return "docker";
}

export function findOnPath(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, program);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}

/**
 * Environment for an engine invocation. Docker builds with BuildKit, so `--target` skips unused stages as it does
 * for Podman (which always skips them).
 */
export function engineEnv(engine: ContainerEngine): Record<string, string> {
    return engine.name === "docker" ? { DOCKER_BUILDKIT: "1" } : {};
}

/** Environment that makes kind use the same engine for its nodes. */
export function kindProviderEnv(engine: ContainerEngine): Record<string, string> {
    return engine.name === "podman" ? { KIND_EXPERIMENTAL_PROVIDER: "podman" } : {};
}

/** The flags that hand an engine to a step program. */
export function engineFlags(engine: ContainerEngine): { readonly engine: EngineName; readonly "engine-bin": string } {
    return { engine: engine.name, "engine-bin": engine.bin };
}
