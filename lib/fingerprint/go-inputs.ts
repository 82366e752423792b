/**
 * What can change a Go service's image, so that its tag follows only that (opt-in per image): the Go files, cgo
 * sources and embedded files of every main-module package its main packages import (as `go list -deps` reports them
 * for the build's GOOS, GOARCH and tags), `go.mod`, `go.sum` and `vendor/`, and every context file the final stage
 * copies. Everything else in the context no longer counts. When the analysis cannot be trusted — no `go`, `go list`
 * fails, a final stage copies the whole context, a RUN runs something that may read any file — the answer is a reason
 * to fall back to the whole context, never a guess.
 *
 * `go list` is not run on every preview: its answer is kept in the fingerprint cache under a key of everything it
 * depends on (the kept files' paths, the contents of `.go` files, `go.mod` and `go.sum`, and the build settings).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DockerfileParser, type Instruction, type Run } from "dockerfile-ast";
import { programOf, runCommands } from "../dockerfile-commands.js";
import { sha256Hex } from "../sha256.js";

/** An image that builds Go main packages. */
export interface GoBuild {
    /**
     * Main packages the Dockerfile builds, relative to the context, e.g. `./cmd/signalprocessing`. None: the image
     * builds nothing from the context's Go code (db-migrate builds goose from its module), so only what its stages
     * copy from the context counts.
     */
    readonly packages: readonly string[];
    /** Build tags. @default [] */
    readonly tags?: readonly string[];
}

/** What decides which files a Go build reads besides its packages: from the build's own arguments. */
export interface GoTarget {
    /** `GOOS` build argument. @default "linux" */
    readonly goos: string;
    /** `GOARCH` build argument. @default "amd64" */
    readonly goarch: string;
    /** `CGO_ENABLED=1` among the build arguments (Kubernaut builds with cgo off). @default false */
    readonly cgo: boolean;
}

export function goTargetOf(buildArgs: Readonly<Record<string, string>> = {}): GoTarget {
    return { goos: buildArgs.GOOS || "linux", goarch: buildArgs.GOARCH || "amd64", cgo: buildArgs.CGO_ENABLED === "1" };
}

export type GoInputs = { readonly files: readonly string[] } | { readonly fallback: string };

/** Programs a RUN may run without reading context files it did not name (package managers, users, permissions). */
const SAFE_PROGRAMS = new Set([
    "go",
    "dnf",
    "microdnf",
    "yum",
    "apt-get",
    "apt",
    "apk",
    "rpm",
    "useradd",
    "groupadd",
    "adduser",
    "addgroup",
    "usermod",
    "chmod",
    "chown",
    "chgrp",
    "mkdir",
    "ln",
    "rm",
    "echo",
    "printf",
    "true",
    "false",
    "test",
    "[",
    "cd",
    "export",
    "set",
    "mktemp",
    "fi",
    "else",
    "done",
    "esac",
    "update-ca-certificates",
    "ls",
    "touch",
]);

/**
 * The context files the final stage (or `target`) copies — or every stage, with `allStages` (an image whose Go build
 * reads no context) — or why the Dockerfile cannot be followed.
 */
export function dockerfileContextInputs(
    dockerfileText: string,
    target?: string,
    allStages = false,
): { sources: string[] } | { fallback: string } {
    const lines = dockerfileText.split("\n");
    const dockerfile = DockerfileParser.parse(dockerfileText);
    const stages: Instruction[][] = [];
    for (const instruction of dockerfile.getInstructions()) {
        if (instruction.getKeyword() === "FROM") stages.push([]);
        if (stages.length) stages[stages.length - 1].push(instruction);
    }
    const names = dockerfile.getFROMs().map((f) => f.getBuildStage());
    const finalIndex = target ? names.indexOf(target) : stages.length - 1;
    if (finalIndex < 0) return { fallback: `the Dockerfile has no stage \`${target}\`` };
    for (const stage of stages) {
        for (const run of stage.filter((i) => i.getKeyword() === "RUN") as Run[]) {
            if (/--mount=[^\s]*type=bind/.test(run.getTextContent() ?? ""))
                return { fallback: `line ${run.getRange().start.line + 1}: a RUN mounts the context` };
            for (const command of runCommands(run, lines)) {
                const program = programOf(command.words)?.program;
                if (program && !SAFE_PROGRAMS.has(program))
                    return { fallback: `line ${command.line}: \`${program}\` may read any file of the context` };
            }
        }
    }
    const sources: string[] = [];
    for (const instruction of allStages ? stages.slice(0, finalIndex + 1).flat() : stages[finalIndex]) {
        const keyword = instruction.getKeyword();
        if (keyword !== "COPY" && keyword !== "ADD") continue;
        const args = instruction.getArguments().map((a) => a.getValue());
        if (args.some((a) => a.startsWith("--from="))) continue;
        const paths = args.filter((a) => !a.startsWith("--")).slice(0, -1);
        for (const source of paths) {
            const normal = path.posix.normalize(source.replace(/^\.\//, ""));
            if (normal === "." || normal === "" || /[*?[]/.test(normal))
                return {
                    fallback: `line ${instruction.getRange().start.line + 1}: ${allStages ? "a stage" : "the final stage"} copies \`${source}\`, which may be any file`,
                };
            sources.push(normal.replace(/\/$/, ""));
        }
    }
    return { sources };
}

interface ListedPackage {
    Dir?: string;
    Module?: { Main?: boolean };
    Standard?: boolean;
    GoFiles?: string[];
    CgoFiles?: string[];
    CFiles?: string[];
    CXXFiles?: string[];
    HFiles?: string[];
    SFiles?: string[];
    SysoFiles?: string[];
    EmbedFiles?: string[];
    Error?: { Err: string };
}

/** Parses `go list -json`'s stream of objects. */
function parseList(text: string): ListedPackage[] {
    const out: ListedPackage[] = [];
    let depth = 0;
    let start = -1;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (c === "\\") i++;
            else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "{") {
            if (depth++ === 0) start = i;
        } else if (c === "}" && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as ListedPackage);
    }
    return out;
}

/** The context files of every package in the context that the main packages import, as `go list` reports them. */
export function listGoFiles(
    contextDir: string,
    build: GoBuild,
    target: GoTarget,
    env: NodeJS.ProcessEnv = process.env,
): { files: string[] } | { fallback: string } {
    const args = [
        "list",
        "-deps",
        "-e",
        "-json=Dir,Module,Standard,GoFiles,CgoFiles,CFiles,CXXFiles,HFiles,SFiles,SysoFiles,EmbedFiles,Error",
    ];
    if (build.tags?.length) args.push("-tags", build.tags.join(","));
    const result = spawnSync(env.KUBERNAUT_E2E_GO ?? "go", [...args, ...build.packages], {
        cwd: contextDir,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        // Read-only and offline: the analysis never changes go.mod or downloads a module; external packages it
        // cannot resolve are covered by go.mod and go.sum.
        env: {
            ...env,
            GOOS: target.goos,
            GOARCH: target.goarch,
            CGO_ENABLED: target.cgo ? "1" : "0",
            GOFLAGS: "-mod=readonly",
            GOPROXY: "off",
            GOWORK: "off",
            GOTOOLCHAIN: "local",
        },
    });
    if (result.error)
        return {
            fallback: `\`go\` cannot run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`,
        };
    if (result.status !== 0)
        return { fallback: `\`go list\` failed: ${String(result.stderr).trim().split("\n").slice(-1)[0]}` };
    const root = fs.realpathSync(contextDir);
    const files = new Set<string>();
    for (const pkg of parseList(result.stdout)) {
        if (pkg.Standard || !pkg.Dir) continue;
        const dir = path.relative(root, fs.realpathSync(pkg.Dir));
        if (dir.startsWith("..") || path.isAbsolute(dir)) continue; // another module, outside the context: go.sum pins it
        const broken =
            pkg.Module?.Main && pkg.Error && !/module lookup disabled|cannot find module providing/.test(pkg.Error.Err);
        if (broken) return { fallback: `\`go list\`: ${pkg.Error!.Err.split("\n")[0]}` };
        for (const list of [
            pkg.GoFiles,
            pkg.CgoFiles,
            pkg.CFiles,
            pkg.CXXFiles,
            pkg.HFiles,
            pkg.SFiles,
            pkg.SysoFiles,
            pkg.EmbedFiles,
        ]) {
            for (const file of list ?? []) files.add(path.posix.join(dir.split(path.sep).join("/"), file));
        }
    }
    return { files: [...files].sort() };
}

/** What `go list`'s answer depends on: every kept path, the contents of Go sources and module files, the settings. */
export function goListKey(entries: ReadonlyMap<string, string>, build: GoBuild, target: GoTarget): string {
    const parts: string[] = [
        JSON.stringify({ packages: [...build.packages], tags: [...(build.tags ?? [])], ...target }),
    ];
    for (const [rel, line] of entries) {
        const base = path.posix.basename(rel);
        parts.push(rel.endsWith(".go") || base === "go.mod" || base === "go.sum" ? line : `${rel}\n`);
    }
    return sha256Hex(parts.join(""));
}

/**
 * The files of the context that decide a Go image (sorted), from the cache when nothing `go list` depends on
 * changed; or why the whole context must count.
 */
export function goInputs(
    contextDir: string,
    dockerfileText: string,
    stage: string | undefined,
    build: GoBuild,
    target: GoTarget,
    entries: ReadonlyMap<string, string>,
    cacheDir: string | false,
): GoInputs {
    const copied = dockerfileContextInputs(dockerfileText, stage, build.packages.length === 0);
    if ("fallback" in copied) return copied;
    if (build.packages.length === 0) {
        return {
            files: [...entries.keys()]
                .filter((rel) => copied.sources.some((s) => rel === s || rel.startsWith(`${s}/`)))
                .sort(),
        };
    }
    const key = goListKey(entries, build, target);
    const cacheFile = cacheDir === false ? undefined : path.join(cacheDir, "go", `${key.slice(0, 32)}.json`);
    let goFiles: string[] | undefined;
    if (cacheFile && fs.existsSync(cacheFile)) {
        try {
            goFiles = (JSON.parse(fs.readFileSync(cacheFile, "utf8")) as { files: string[] }).files;
        } catch {
            goFiles = undefined;
        }
    }
    if (!goFiles) {
        const listed = listGoFiles(contextDir, build, target);
        if ("fallback" in listed) return listed;
        goFiles = listed.files;
        if (cacheFile) {
            fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
            fs.writeFileSync(cacheFile, JSON.stringify({ files: goFiles }));
        }
    }
    const module = [...entries.keys()].filter(
        (rel) => rel === "go.mod" || rel === "go.sum" || rel.startsWith("vendor/"),
    );
    const finalStage = [...entries.keys()].filter((rel) =>
        copied.sources.some((s) => rel === s || rel.startsWith(`${s}/`)),
    );
    return { files: [...new Set([...goFiles, ...module, ...finalStage])].sort() };
}
