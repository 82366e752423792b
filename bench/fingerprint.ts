/**
 * `npm run --silent bench:fingerprint -- <dir> [--dockerfile FILE] [--runs N]`
 * `npm run --silent bench:fingerprint -- --synthesize <dir>` writes a Go-monorepo-shaped tree first.
 * `npm run --silent bench:fingerprint -- <go monorepo> --go ./cmd/x [--dockerfile FILE]` also times the Go-aware one.
 *
 * Prints one JSON line: `{"files","bytes","coldMs","warmMs","readMs","fingerprint","runs"}`, each time the median of
 * `runs`. `readMs` is the baseline the targets are stated against: reading every kept byte once (file list known in
 * advance). `coldMs` starts from an empty stat cache, `warmMs` from a full one; all three run with the OS page cache
 * warm, so they compare CPU work, not the disk.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DockerIgnore } from "../lib/dockerignore.js";
import { fingerprintBuild } from "../lib/fingerprint.js";
import { z } from "zod";
import { command, isMain, main, type StepIO } from "../lib/command-line.js";

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return Math.round((sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2) * 10) / 10;
}

function time(fn: () => void): number {
    const start = performance.now();
    fn();
    return performance.now() - start;
}

/** Every file `.dockerignore` keeps, found with a plain full walk (the benchmark's reference list). */
function keptFiles(contextDir: string, dockerfile: string): string[] {
    const ignore = DockerIgnore.forBuild(contextDir, dockerfile);
    const files: string[] = [];
    for (const rel of fs.readdirSync(contextDir, { recursive: true }) as string[]) {
        const posix = rel.split(path.sep).join("/");
        const abs = path.join(contextDir, rel);
        if (fs.lstatSync(abs).isFile() && !ignore.ignores(posix)) files.push(abs);
    }
    return files;
}

/** A deterministic pseudo-random generator, so two syntheses give the same tree. */
function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (s * 1664525 + 1013904223) >>> 0;
        return s / 2 ** 32;
    };
}

/**
 * ≈5,600 kept files and ≈70 MB in Go-service folders, plus excluded Markdown, build output and a ≈200 MB `.git`,
 * with Kubernaut's `.dockerignore` rules. Files get an mtime in the past, as after a checkout.
 */
export function synthesize(root: string): void {
    const rand = prng(42);
    const write = (rel: string, bytes: number) => {
        const file = path.join(root, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const chunk = Buffer.alloc(Math.min(bytes, 1 << 20));
        for (let i = 0; i < chunk.length; i += 4)
            chunk.writeUInt32LE(Math.floor(rand() * 2 ** 32), i - (i + 4 > chunk.length ? i + 4 - chunk.length : 0));
        const fd = fs.openSync(file, "w");
        for (let written = 0; written < bytes; written += chunk.length)
            fs.writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written));
        fs.closeSync(fd);
    };
    const tops = ["cmd", "pkg", "internal", "test", "api", "config", "charts", "migrations", "docker", "hack"];
    let kept = 0;
    for (let i = 0; kept < 5560; i++) {
        const dir = `${tops[i % tops.length]}/${tops[(i * 7) % tops.length]}${Math.floor(i / 10)}/sub${i % 7}`;
        const count = 5 + Math.floor(rand() * 20);
        for (let f = 0; f < count && kept < 5560; f++, kept++) {
            // Mostly small sources, a few large generated files and fixtures: ≈70 MB in all.
            const size = rand() < 0.005 ? 600_000 + Math.floor(rand() * 400_000) : 1_000 + Math.floor(rand() * 15_000);
            write(`${dir}/file${f}.go`, size);
        }
        if (i % 5 === 0) write(`${dir}/README.md`, 3_000);
    }
    write("go.mod", 4_000);
    write("go.sum", 90_000);
    for (let i = 0; i < 40; i++) write(`bin/service${i}${i % 2 ? "-amd64" : ""}`, 250_000);
    for (let i = 0; i < 4; i++) write(`.git/objects/pack/pack-${i}.pack`, 45_000_000);
    for (let i = 0; i < 2000; i++) write(`.git/objects/${(i % 256).toString(16).padStart(2, "0")}/obj${i}`, 10_000);
    fs.writeFileSync(
        path.join(root, ".dockerignore"),
        ".git\n*.md\nbin/\n!bin/*-amd64\n!bin/*-arm64\nDockerfile*\n.github/\ncoverage*\ncoverdata/\n",
    );
    fs.mkdirSync(path.join(root, "docker"), { recursive: true });
    fs.writeFileSync(path.join(root, "docker", "service.Dockerfile"), "FROM scratch\nCOPY . .\n");
    const past = new Date(Date.now() - 3_600_000);
    for (const rel of fs.readdirSync(root, { recursive: true }) as string[])
        fs.utimesSync(path.join(root, rel), past, past);
}

async function bench(
    flags: { dir: string; dockerfile?: string; runs: number; synthesize?: boolean; go?: string[] },
    io: StepIO,
): Promise<number> {
    const contextDir = path.resolve(flags.dir);
    if (flags.synthesize) synthesize(contextDir);
    let dockerfile = flags.dockerfile ? path.resolve(contextDir, flags.dockerfile) : undefined;
    if (!dockerfile) {
        dockerfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-bench-")), "Dockerfile");
        // With --go, the shape of Kubernaut's service Dockerfiles: a Go build over the context, the binary copied on.
        fs.writeFileSync(
            dockerfile,
            flags.go?.length
                ? `FROM golang AS builder\nCOPY . .\nRUN go build -o /app ${flags.go.join(" ")}\nFROM scratch\nCOPY --from=builder /app /app\n`
                : "FROM scratch\nCOPY . .\n",
        );
    }

    const files = keptFiles(contextDir, dockerfile);
    for (const file of files) fs.readFileSync(file); // warm the page cache for every measurement alike
    const readMs = median(
        Array.from({ length: flags.runs }, () => time(() => files.forEach((f) => fs.readFileSync(f)))),
    );
    const coldMs = median(
        Array.from({ length: flags.runs }, () => {
            const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-bench-cache-"));
            try {
                return time(() => fingerprintBuild({ context: contextDir, dockerfile: dockerfile, cacheDir }));
            } finally {
                fs.rmSync(cacheDir, { recursive: true, force: true });
            }
        }),
    );
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-bench-cache-"));
    const result = fingerprintBuild({ context: contextDir, dockerfile, cacheDir });
    const warmMs = median(
        Array.from({ length: flags.runs }, () =>
            time(() => fingerprintBuild({ context: contextDir, dockerfile: dockerfile, cacheDir })),
        ),
    );
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const go = flags.go?.length ? goBench(contextDir, dockerfile, flags.go, flags.runs, warmMs) : {};
    io.out(
        JSON.stringify({
            files: result.files,
            bytes: result.bytes,
            coldMs,
            warmMs,
            readMs,
            fingerprint: result.fingerprint,
            runs: flags.runs,
            ...go,
        }),
    );
    return 0;
}

/**
 * The Go-aware fingerprint of the same context: cold (no caches: every file read and `go list` run), warm (both
 * caches current), and after an edit outside Go code (`go list` answered from its cache), against the whole-context
 * warm time.
 */
function goBench(contextDir: string, dockerfile: string, packages: string[], runs: number, wholeWarmMs: number) {
    const go = { packages };
    const coldGoMs = median(
        Array.from({ length: runs }, () => {
            const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-bench-cache-"));
            try {
                return time(() => fingerprintBuild({ context: contextDir, dockerfile, cacheDir, go }));
            } finally {
                fs.rmSync(cacheDir, { recursive: true, force: true });
            }
        }),
    );
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-bench-cache-"));
    const result = fingerprintBuild({ context: contextDir, dockerfile, cacheDir, go });
    const warmGoMs = median(
        Array.from({ length: runs }, () =>
            time(() => fingerprintBuild({ context: contextDir, dockerfile, cacheDir, go })),
        ),
    );
    fs.rmSync(cacheDir, { recursive: true, force: true });
    return {
        go: {
            packages,
            identity: result.identity,
            inputs: result.inputs,
            fallback: result.fallback ?? null,
            coldGoMs,
            warmGoMs,
            warmRatio: Math.round((warmGoMs / wholeWarmMs) * 100) / 100,
        },
    };
}

export const run = command("bench:fingerprint", {
    description: "cold and warm fingerprint times of a build context (medians of --runs), against reading its files",
    positionals: [{ name: "dir", description: "the build context" }],
    flags: {
        dockerfile: {
            type: "string",
            value: "FILE",
            description: "Dockerfile, relative to the context (default: one that copies everything)",
        },
        runs: { type: "string", value: "N", description: "runs per measurement (default 7)" },
        synthesize: { type: "boolean", description: "first write a synthetic Kubernaut-sized tree into the directory" },
        go: {
            type: "string",
            multiple: true,
            value: "PKG",
            description:
                "also time the Go-aware fingerprint of this main package (repeatable), e.g. ./cmd/signalprocessing",
        },
    },
    schema: z.object({
        _: z.tuple([z.string()]),
        dockerfile: z.string().optional(),
        runs: z.coerce.number().int().min(1).default(7),
        synthesize: z.boolean().optional(),
        go: z.array(z.string()).optional(),
    }),
    run: (values, io) =>
        bench(
            {
                dir: values._[0],
                dockerfile: values.dockerfile,
                runs: values.runs,
                synthesize: values.synthesize,
                go: values.go,
            },
            io,
        ),
});

if (isMain(import.meta.url)) await main("bench:fingerprint", run);
