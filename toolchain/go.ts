/**
 * Go builds from the module proxy: the only source of Pulumi, kind and Kubernetes code these machines reach. Three
 * shapes, as each upstream's `go.mod` allows: `go install module@version` when it has no `replace`; a small wrapper
 * module of ours that requires the released modules when `replace` points at sibling directories; and a build inside
 * a copy of the downloaded module when it must be the main module (`exclude` directives, generated files).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../lib/run-tool.js";
import type { ToolchainLayout } from "../lib/toolchain/layout.js";
import type { ToolchainContext } from "./action.js";

/** What a Go build reports to: the toolchain's layout (caches), its log and the running action's progress. */
export type GoContext = Pick<ToolchainContext, "layout" | "log" | "progress">;

export interface GoBuildOptions {
    /** Directory whose `go.mod` is the main module. */
    readonly dir: string;
    /** Package paths (or `./cmd/x` relative to `dir`). */
    readonly packages: readonly string[];
    /** Where the binaries go: a directory (ends with `/`) or one file. */
    readonly output: string;
    readonly tags?: readonly string[];
    /** `-X importpath.name=value` values. @default {} */
    readonly versionVars?: Readonly<Record<string, string>>;
    /**
     * Build with cgo (runc's nsenter needs it); `static` links the C parts in too, for a scratch image (Dex's SQLite
     * storage, which its configuration code refers to whether or not it is used). @default false
     */
    readonly cgo?: boolean | "static";
}

/**
 * The environment of every Go command: the toolchain's own caches, modules resolved from go.mod files only, and its
 * own work directory (a `/tmp` cleaner running during a half-hour build would otherwise break it).
 */
export function goEnv(layout: ToolchainLayout, cgo = false): Record<string, string> {
    const tmp = path.join(layout.workDir, "go-tmp");
    fs.mkdirSync(tmp, { recursive: true });
    return {
        GOMODCACHE: layout.goModCache,
        GOCACHE: layout.goBuildCache,
        GOTMPDIR: tmp,
        GOFLAGS: "-mod=mod",
        CGO_ENABLED: cgo ? "1" : "0",
        GOWORK: "off",
    };
}

/** `-ldflags` of a release build: stripped, with `-X` version variables, and statically linked C when asked. */
export function ldflags(versionVars: Readonly<Record<string, string>> = {}, staticC = false): string {
    const linking = staticC ? ["-linkmode", "external", "-extldflags", "-static"] : [];
    return ["-s", "-w", ...linking, ...Object.entries(versionVars).map(([k, v]) => `-X ${k}=${v}`)].join(" ");
}

export async function goBuild(ctx: GoContext, options: GoBuildOptions): Promise<void> {
    const args = ["build", "-trimpath", "-ldflags", ldflags(options.versionVars, options.cgo === "static")];
    if (options.tags?.length) args.push("-tags", options.tags.join(","));
    if (options.output.endsWith("/")) fs.mkdirSync(options.output, { recursive: true });
    else fs.mkdirSync(path.dirname(options.output), { recursive: true });
    const env = goEnv(ctx.layout, options.cgo !== undefined && options.cgo !== false);
    const total = await packageCount(options.dir, options.packages, options.tags, env);
    await goCompile(ctx, [...args, "-o", options.output, ...options.packages], {
        doing: `build ${options.packages.join(" ")}`,
        cwd: options.dir,
        env,
        total,
    });
}

/** How many packages building `packages` involves (`go list -deps`), or undefined when Go cannot tell up front. */
async function packageCount(
    dir: string,
    packages: readonly string[],
    tags: readonly string[] | undefined,
    env: Record<string, string>,
): Promise<number | undefined> {
    const args = ["list", "-deps", ...(tags?.length ? ["-tags", tags.join(",")] : []), ...packages];
    const result = await runTool("go", args, {
        doing: "list the packages to build",
        cwd: dir,
        env,
        allowFailure: true,
    });
    return result.exitCode === 0 ? result.stdout.split("\n").filter(Boolean).length : undefined;
}

/**
 * Runs `go build|install` with `-v`, which names each package as it is compiled: counted against `total` as the
 * action's progress rather than printed (thousands of lines); other output goes to the log.
 */
export async function goCompile(
    ctx: GoContext,
    args: readonly string[],
    options: { doing: string; cwd: string; env: Record<string, string>; total?: number },
): Promise<void> {
    let compiled = 0;
    ctx.progress.doing(`compiling ${options.doing.replace(/^(build|install) /, "")}`);
    ctx.progress.count(0, options.total, "packages");
    const [verb, ...rest] = args;
    await runTool("go", [verb, "-v", ...rest], {
        doing: options.doing,
        cwd: options.cwd,
        env: options.env,
        onStderrLine: (line) => {
            // A package path alone on its line is `-v` naming a compiled package.
            if (/^[\w.\-~/]+$/.test(line) && !line.startsWith("go:"))
                ctx.progress.count(++compiled, options.total, "packages");
            else if (line.trim()) ctx.log(`  ${line}`);
        },
    });
}

/** Downloads `module@version` into the module cache and returns its (read-only) directory. */
export async function goDownload(layout: ToolchainLayout, module: string, version: string): Promise<string> {
    const { stdout } = await runTool("go", ["mod", "download", "-json", `${module}@${version}`], {
        doing: `download ${module}@${version} from the Go module proxy`,
        env: goEnv(layout),
    });
    const info = JSON.parse(stdout) as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`failed to download ${module}@${version}: ${info.Error ?? "no directory"}`);
    return info.Dir;
}

/** A writable copy of a downloaded module at `dest` (replaced if present), to build it as the main module. */
export async function copyModule(
    layout: ToolchainLayout,
    module: string,
    version: string,
    dest: string,
): Promise<string> {
    const source = await goDownload(layout, module, version);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.cpSync(source, dest, { recursive: true });
    makeWritable(dest);
    return dest;
}

function makeWritable(dir: string): void {
    fs.chmodSync(dir, 0o755);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) makeWritable(p);
        else if (entry.isFile()) fs.chmodSync(p, fs.statSync(p).mode | 0o200);
    }
}

export interface WrapperModule {
    readonly name: string;
    readonly goVersion: string;
    readonly require: Readonly<Record<string, string>>;
    readonly replace?: Readonly<Record<string, string>>;
    /** Extra files, e.g. a `main.go` that calls the upstream entry point. */
    readonly files?: Readonly<Record<string, string>>;
}

/**
 * Writes a wrapper module under `dir` and resolves its requirements (`go mod tidy` when it has code, else `go get`).
 */
export async function writeWrapperModule(
    layout: ToolchainLayout,
    dir: string,
    module: WrapperModule,
    getPackages: readonly string[] = [],
): Promise<string> {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const lines = [
        `module kubernaut-e2e.local/toolchain/${module.name}`,
        "",
        `go ${module.goVersion}`,
        "",
        "require (",
    ];
    for (const [m, v] of Object.entries(module.require)) lines.push(`\t${m} ${v}`);
    lines.push(")");
    if (module.replace && Object.keys(module.replace).length) {
        lines.push("", "replace (");
        for (const [m, target] of Object.entries(module.replace)) lines.push(`\t${m} => ${target}`);
        lines.push(")");
    }
    fs.writeFileSync(path.join(dir, "go.mod"), `${lines.join("\n")}\n`);
    for (const [name, content] of Object.entries(module.files ?? {})) fs.writeFileSync(path.join(dir, name), content);
    const resolve = module.files ? ["mod", "tidy"] : ["get", ...getPackages];
    await runTool("go", resolve, { doing: `resolve the modules of ${module.name}`, cwd: dir, env: goEnv(layout) });
    return dir;
}
