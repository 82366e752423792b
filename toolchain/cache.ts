/**
 * Where the toolchain lives: `$XDG_CACHE_HOME/kubernaut-e2e/toolchain/<set>/`, outside any checkout, one directory per
 * pinned set (a hash of {@link PINS}), with Go's module and build caches shared by every set beside them. Each action
 * records its completion in `done/<action>.json`, so an interrupted build resumes after the last finished action.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
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

export interface DoneMarker {
    readonly action: string;
    readonly revision: number;
    /** Digest of the action's input files when it ran. */
    readonly inputsDigest?: string;
    readonly seconds: number;
    readonly finishedAt: string;
    /** Milliseconds since the epoch, strictly increasing within a build: orders an action after what it needs. */
    readonly stamp: number;
}

let lastStamp = 0;

/** A timestamp later than every earlier one of this process. */
export function nextStamp(): number {
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    return lastStamp;
}

export function readDone(layout: ToolchainLayout, action: string): DoneMarker | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(layout.doneDir, `${action}.json`), "utf8")) as DoneMarker;
    } catch {
        return undefined;
    }
}

export function writeDone(layout: ToolchainLayout, marker: DoneMarker): void {
    fs.mkdirSync(layout.doneDir, { recursive: true });
    fs.writeFileSync(path.join(layout.doneDir, `${marker.action}.json`), `${JSON.stringify(marker, null, 2)}\n`);
}

export function clearDone(layout: ToolchainLayout, action: string): void {
    fs.rmSync(path.join(layout.doneDir, `${action}.json`), { force: true });
}

/** SHA-256 over the paths and contents of `files` (files or directories, relative to `root`), in sorted order. */
export function inputsDigest(root: string, files: readonly string[]): string {
    const hash = crypto.createHash("sha256");
    const add = (rel: string) => {
        const full = path.join(root, rel);
        const stat = fs.statSync(full);
        if (stat.isDirectory()) {
            for (const entry of fs.readdirSync(full).sort()) add(path.join(rel, entry));
        } else {
            hash.update(`${rel}\0${stat.mode & 0o111 ? "x" : "-"}\0`).update(fs.readFileSync(full)).update("\0");
        }
    };
    for (const f of [...files].sort()) add(f);
    return hash.digest("hex");
}

/** Bytes under `dir` (files only, symlinks not followed); 0 when it does not exist. */
export function directorySize(dir: string): number {
    let total = 0;
    const walk = (d: string) => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, entry.name);
            if (entry.isDirectory()) walk(p);
            else if (entry.isFile()) total += fs.statSync(p).size;
        }
    };
    if (fs.existsSync(dir)) walk(dir);
    return total;
}
