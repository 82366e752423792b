/**
 * How the toolchain makes images without a registry: Debian root file systems from `debootstrap` (Debian's archive is
 * reachable), imported into Podman; small images `FROM scratch` with static binaries, built by Podman; and
 * docker-archive tarballs of them for the node's containerd.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../lib/run-tool.js";
import type { ToolchainContext } from "./action.js";

/** A Debian root file system at `dir` (replaced if present) with `include` packages, from the pinned suite. */
export async function debootstrap(ctx: ToolchainContext, dir: string, include: readonly string[]): Promise<void> {
    const cache = path.join(ctx.layout.root, "debootstrap-cache");
    fs.mkdirSync(cache, { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
    const { suite, mirror } = ctx.pins.debian;
    await runTool(
        "debootstrap",
        ["--variant=minbase", `--include=${include.join(",")}`, `--cache-dir=${cache}`, suite, dir, mirror],
        {
            doing: `debootstrap ${suite} into ${dir}`,
            onStderrLine: (l) => ctx.log(`  ${l}`),
        },
    );
    // Package lists and downloaded archives only make the image bigger.
    for (const junk of ["var/lib/apt/lists", "var/cache/apt/archives", "usr/share/man", "usr/share/info"]) {
        fs.rmSync(path.join(dir, junk), { recursive: true, force: true });
        fs.mkdirSync(path.join(dir, junk), { recursive: true });
    }
}

export interface ImageConfig {
    readonly entrypoint?: readonly string[];
    readonly cmd?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly stopSignal?: string;
    readonly workdir?: string;
    readonly user?: string;
}

/** The `--change` instructions that give an imported image its config. */
export function importChanges(config: ImageConfig): string[] {
    const changes: string[] = [];
    for (const [k, v] of Object.entries(config.env ?? {})) changes.push("--change", `ENV ${k}=${v}`);
    if (config.entrypoint) changes.push("--change", `ENTRYPOINT ${JSON.stringify(config.entrypoint)}`);
    if (config.cmd) changes.push("--change", `CMD ${JSON.stringify(config.cmd)}`);
    if (config.stopSignal) changes.push("--change", `STOPSIGNAL ${config.stopSignal}`);
    if (config.workdir) changes.push("--change", `WORKDIR ${config.workdir}`);
    if (config.user) changes.push("--change", `USER ${config.user}`);
    return changes;
}

/** Imports the root file system at `dir` into Podman as `name`. */
export async function podmanImport(
    ctx: ToolchainContext,
    dir: string,
    name: string,
    config: ImageConfig = {},
): Promise<void> {
    const archive = `${dir}.tar`;
    await runTool("tar", ["--numeric-owner", "--xattrs", "-C", dir, "-cf", archive, "."], { doing: `pack ${dir}` });
    try {
        await runTool(ctx.podman, ["import", ...importChanges(config), archive, name], {
            doing: `import ${name} into Podman`,
        });
    } finally {
        fs.rmSync(archive, { force: true });
    }
}

export interface ScratchFile {
    /** File on the host. */
    readonly source: string;
    /** Absolute path in the image. */
    readonly target: string;
}

/** Builds `name` from scratch with `files` (static binaries) and `config`, with Podman. */
export async function buildScratchImage(
    ctx: ToolchainContext,
    name: string,
    files: readonly ScratchFile[],
    config: ImageConfig = {},
): Promise<void> {
    const dir = path.join(ctx.layout.workDir, "image-contexts", name.replace(/[^a-zA-Z0-9_.-]+/g, "_"));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const lines = ["FROM scratch"];
    files.forEach((file, i) => {
        fs.copyFileSync(file.source, path.join(dir, `f${i}`));
        fs.chmodSync(path.join(dir, `f${i}`), fs.statSync(file.source).mode);
        lines.push(`COPY f${i} ${file.target}`);
    });
    if (config.workdir) {
        // Scratch has no `mkdir`: an empty directory of the context, owned by the image's user (writable, as upstream).
        fs.mkdirSync(path.join(dir, "workdir"));
        const owner = config.user ? ` --chown=${config.user}:${config.user}` : "";
        lines.push(`COPY${owner} workdir ${config.workdir}`, `WORKDIR ${config.workdir}`);
    }
    for (const [k, v] of Object.entries(config.env ?? {})) lines.push(`ENV ${k}=${v}`);
    if (config.entrypoint) lines.push(`ENTRYPOINT ${JSON.stringify(config.entrypoint)}`);
    if (config.cmd) lines.push(`CMD ${JSON.stringify(config.cmd)}`);
    if (config.stopSignal) lines.push(`STOPSIGNAL ${config.stopSignal}`);
    if (config.user) lines.push(`USER ${config.user}`);
    fs.writeFileSync(path.join(dir, "Containerfile"), `${lines.join("\n")}\n`);
    await runTool(ctx.podman, ["build", "--quiet", "-t", name, "-f", path.join(dir, "Containerfile"), dir], {
        doing: `build image ${name}`,
    });
}

/** Saves `name` as a docker-archive under the toolchain's images directory and returns the path. */
export async function saveArchive(ctx: ToolchainContext, name: string): Promise<string> {
    fs.mkdirSync(ctx.layout.imagesDir, { recursive: true });
    const file = path.join(ctx.layout.imagesDir, `${name.replace(/[^a-zA-Z0-9_.-]+/g, "_")}.tar`);
    fs.rmSync(file, { force: true });
    await runTool(ctx.podman, ["save", "--format", "docker-archive", "-o", file, name], { doing: `save ${name}` });
    return file;
}

export async function podmanImageExists(ctx: ToolchainContext, name: string): Promise<boolean> {
    const result = await runTool(ctx.podman, ["image", "exists", name], {
        doing: `look for ${name}`,
        allowFailure: true,
    });
    return result.exitCode === 0;
}
