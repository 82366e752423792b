/**
 * A lane's Kubernaut suite, compiled for `npm run e2e`: a copy of the checkout (never the user's own files) with the
 * hand-off edits and the Go helper, compiled once with `go test -c`. The copy and its binary are kept under the
 * stack's work directory by a digest of everything that goes into them, so a second run with unchanged sources
 * compiles nothing; the suite then runs inside that copy (specs read files relative to their package and to go.mod).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import { applyEditsIn, type SuiteEdit } from "./edits.js";
import { goHelper } from "./go-helper.js";
import type { SuiteSpec } from "./suites.js";

/** The file the Go helper is written to, in the suite's package. */
export const HELPER_FILE = "kubernaut_e2e_stack_test.go";

/** Top-level folders of the checkout that no suite compiles or reads: left out of the digest and the copy. */
const NOT_COPIED = new Set([".git", "docs", ".cursor", "node_modules", "bin", "coverdata"]);

export interface CompiledSuite {
    /** The copy of the checkout. */
    readonly tree: string;
    /** The suite's package directory in the copy: where it runs. */
    readonly packageDir: string;
    /** The compiled suite, in `packageDir` (Ginkgo runs a precompiled suite in its own directory). */
    readonly binary: string;
    readonly digest: string;
    /** Whether the binary came from an earlier run with the same digest. */
    readonly reused: boolean;
}

export interface CompileOptions {
    /** The stack's work directory (`.work/<stack>`): the copies live in `suite/`. */
    readonly workDir: string;
    /** The Go environment: the toolchain's module cache and `GOPROXY=off` when there is one. */
    readonly goEnv: Readonly<Record<string, string>>;
    readonly log: (line: string) => void;
    /** How many copies of this suite to keep (the newest). @default 2 */
    readonly keep?: number;
}

/** The Go files, go.mod and go.sum under `root` (outside {@link NOT_COPIED}), relative and sorted. */
function goInputs(root: string): string[] {
    const found: string[] = [];
    const walk = (rel: string) => {
        for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
            const child = rel ? `${rel}/${entry.name}` : entry.name;
            if (entry.isDirectory()) {
                if (rel || !NOT_COPIED.has(entry.name)) walk(child);
            } else if (entry.name.endsWith(".go") || entry.name === "go.mod" || entry.name === "go.sum") {
                found.push(child);
            }
        }
    };
    walk("");
    return found.sort();
}

/**
 * What a test binary is compiled from: a package of the checkout, text edits (relative to the package directory; they
 * may reach other packages), files added to the package and build tags.
 */
export interface TestBinaryInputs {
    /** What it is, for messages and the binary's name. */
    readonly name: string;
    readonly dir: string;
    readonly edits: readonly SuiteEdit[];
    /** Files written into the package directory, by name. */
    readonly files: Readonly<Record<string, string>>;
    /** @default [] */
    readonly tags?: readonly string[];
}

/** A lane's suite with its hand-off: the edits and the Go helper. */
export function suiteInputs(suite: SuiteSpec): TestBinaryInputs {
    return {
        name: suite.package,
        dir: suite.dir,
        edits: suite.edits,
        files: { [HELPER_FILE]: goHelper(suite.package, suite.goHelper) },
    };
}

/** What the compiled binary depends on: the checkout's Go inputs, the changes, the Go version and environment. */
export function suiteDigest(
    root: string,
    inputs: TestBinaryInputs,
    goVersion: string,
    env: Readonly<Record<string, string>>,
) {
    const hash = crypto.createHash("sha256");
    const field = (value: string) => hash.update(`${value.length}:${value}`);
    field(goVersion);
    field(JSON.stringify(Object.entries(env).sort()));
    field(JSON.stringify({ dir: inputs.dir, edits: inputs.edits, files: inputs.files, tags: inputs.tags ?? [] }));
    for (const rel of goInputs(root)) {
        field(rel);
        hash.update(fs.readFileSync(path.join(root, rel)));
    }
    return hash.digest("hex").slice(0, 16);
}

/** A copy of the checkout at `root` without the folders no suite reads. */
export function copyCheckout(root: string, dest: string): void {
    fs.cpSync(root, dest, {
        recursive: true,
        filter: (src) => !NOT_COPIED.has(path.basename(src)) || path.dirname(src) !== root,
    });
}

/** Checks that `root` holds the suite, naming what is missing. */
export function checkSuiteSource(root: string, suite: SuiteSpec, from: string): void {
    if (!fs.existsSync(path.join(root, "go.mod")))
        throw new Error(`the Kubernaut checkout ${root} (from ${from}) has no go.mod`);
    const dir = path.join(root, suite.dir);
    const hasSuite = fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith("_test.go"));
    if (!hasSuite)
        throw new Error(`the Kubernaut checkout ${root} (from ${from}) has no ${suite.stack} suite in ${suite.dir}`);
}

/** The test binary of `inputs` compiled from `root`, reused when its digest was compiled before. */
export async function compileSuite(
    root: string,
    inputs: TestBinaryInputs,
    options: CompileOptions,
): Promise<CompiledSuite> {
    const version = await runTool("go", ["version"], { doing: "run go version", env: options.goEnv });
    const digest = suiteDigest(root, inputs, version.stdout.trim(), options.goEnv);
    const suitesDir = path.join(options.workDir, "suite");
    const dir = path.join(suitesDir, digest);
    const tree = path.join(dir, "tree");
    const packageDir = path.join(tree, inputs.dir);
    const binary = path.join(packageDir, `${inputs.name}.test`);
    const done = path.join(dir, "compiled");
    if (fs.existsSync(done) && fs.existsSync(binary)) {
        fs.utimesSync(done, new Date(), new Date());
        return { tree, packageDir, binary, digest, reused: true };
    }
    fs.rmSync(dir, { recursive: true, force: true });
    options.log(`e2e: copying ${root} for ${inputs.name} (${inputs.dir})`);
    copyCheckout(root, tree);
    applyEditsIn(packageDir, inputs.edits);
    for (const [file, text] of Object.entries(inputs.files)) fs.writeFileSync(path.join(packageDir, file), text);
    options.log(`e2e: compiling ${inputs.dir} (go test -c; once per digest ${digest})`);
    const started = performance.now();
    const tags = inputs.tags?.length ? ["-tags", inputs.tags.join(",")] : [];
    await runTool("go", ["test", "-c", ...tags, "-o", binary, `./${inputs.dir}`], {
        doing: `compile ${inputs.name} (${inputs.dir})`,
        cwd: tree,
        env: options.goEnv,
    });
    fs.writeFileSync(done, `${new Date().toISOString()}\n`);
    options.log(`e2e: compiled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    pruneCopies(suitesDir, options.keep ?? 2);
    return { tree, packageDir, binary, digest, reused: false };
}

/** Removes all but the `keep` most recently used copies (each is the checkout's size plus a binary). */
function pruneCopies(suitesDir: string, keep: number): void {
    const used = (d: string) => fs.statSync(path.join(suitesDir, d, "compiled"), { throwIfNoEntry: false })?.mtimeMs;
    const copies = fs
        .readdirSync(suitesDir)
        .map((d) => ({ d, at: used(d) ?? 0 }))
        .sort((a, b) => b.at - a.at);
    for (const { d } of copies.slice(keep)) fs.rmSync(path.join(suitesDir, d), { recursive: true, force: true });
}
