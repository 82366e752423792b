/**
 * Where the offline toolchain lives: `$XDG_CACHE_HOME/kubernaut-e2e/toolchain/<set>/`, outside any checkout, one
 * directory per pinned set (a hash of {@link PINS}), with Go's module and build caches shared by every set beside them.
 * In lib/ because the toolchain's builder, the commands that use it and the stack programs (its profile) all read it.
 */
import * as crypto from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { PINS, type Pins } from "./pins.js";

/** Overrides the toolchain's root (default `$XDG_CACHE_HOME/kubernaut-e2e/toolchain`). */
export const TOOLCHAIN_ROOT_ENV = "KUBERNAUT_E2E_TOOLCHAIN_ROOT";

export interface ToolchainLayout {
    readonly root: string;
    /** `<root>/<set id>`: this pinned set. */
    readonly setDir: string;
    readonly setId: string;
    /** Executables for the host: pulumi, its language host, kind, kubectl, kwok. */
    readonly binDir: string;
    /** `PULUMI_HOME` of the toolchain: its plugin cache holds the providers it built. */
    readonly pulumiHome: string;
    /** Binaries and files that go into the kind node image. */
    readonly nodeDir: string;
    /** Image archives (docker-archive) built along the way. */
    readonly imagesDir: string;
    /** Sources, wrapper modules and root file systems being assembled. */
    readonly workDir: string;
    readonly doneDir: string;
    /** Go's caches, shared by every set: a new pin rebuilds only what changed. */
    readonly goModCache: string;
    readonly goBuildCache: string;
}

/** A short stable id of a pinned set. */
export function toolchainSetId(pins: Pins = PINS): string {
    return crypto.createHash("sha256").update(JSON.stringify(pins)).digest("hex").slice(0, 12);
}

export function toolchainLayout(env: NodeJS.ProcessEnv = process.env, pins: Pins = PINS): ToolchainLayout {
    const cacheHome = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache");
    const root = env[TOOLCHAIN_ROOT_ENV] || path.join(cacheHome, "kubernaut-e2e", "toolchain");
    const setId = toolchainSetId(pins);
    const setDir = path.join(root, setId);
    return {
        root,
        setDir,
        setId,
        binDir: path.join(setDir, "bin"),
        pulumiHome: path.join(setDir, "pulumi-home"),
        nodeDir: path.join(setDir, "node"),
        imagesDir: path.join(setDir, "images"),
        workDir: path.join(setDir, "work"),
        doneDir: path.join(setDir, "done"),
        goModCache: path.join(root, "go", "mod"),
        goBuildCache: path.join(root, "go", "cache"),
    };
}
