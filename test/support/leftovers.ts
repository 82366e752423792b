/**
 * What a test run left behind on the machine: `snapshot FILE` before the run, `check FILE` after it. `check` lists
 * every new entry in the temporary directory and in `~/.cache/kubernaut-e2e`, every new image and container in
 * either engine, and exits 1 when there is any. `.ci/run` wraps both suites with it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { isMain } from "../../lib/command-line.js";

interface Snapshot {
    readonly [kind: string]: readonly string[];
}

const ENGINES = [
    { name: "docker", bin: process.env.KUBERNAUT_E2E_DOCKER ?? "docker" },
    { name: "podman", bin: process.env.KUBERNAUT_E2E_PODMAN ?? "podman" },
];

function entries(dir: string, except: readonly string[] = []): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((name) => !except.includes(name))
        .map((name) => path.join(dir, name));
}

async function engineList(bin: string, args: string[]): Promise<string[]> {
    const result = await execa(bin, args, { reject: false });
    if (result.exitCode !== 0) return [];
    return String(result.stdout)
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
}

async function take(): Promise<Snapshot> {
    const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    const snapshot: Record<string, string[]> = {
        "temporary files": entries(os.tmpdir()),
        // The offline toolchain is built on purpose and kept; everything else under our cache is a leftover.
        "cache entries": entries(path.join(cacheHome, "kubernaut-e2e"), ["toolchain"]),
    };
    for (const engine of ENGINES) {
        snapshot[`${engine.name} images`] = await engineList(engine.bin, [
            "images",
            "--all",
            "--no-trunc",
            "--format",
            "{{.ID}} {{.Repository}}:{{.Tag}}",
        ]);
        snapshot[`${engine.name} containers`] = await engineList(engine.bin, ["ps", "--all", "--format", "{{.Names}}"]);
    }
    return snapshot;
}

export async function run(argv: readonly string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
    const [verb, file] = argv;
    if ((verb !== "snapshot" && verb !== "check") || !file) {
        io.err.write("usage: leftovers snapshot|check FILE\n");
        return 2;
    }
    const now = await take();
    if (verb === "snapshot") {
        fs.writeFileSync(file, JSON.stringify(now));
        return 0;
    }
    const before: Snapshot = JSON.parse(fs.readFileSync(file, "utf8"));
    let found = 0;
    for (const [kind, items] of Object.entries(now)) {
        const earlier = new Set(before[kind] ?? []);
        const added = items.filter((item) => !earlier.has(item) && item !== file);
        found += added.length;
        for (const item of added) io.err.write(`leftovers: ${kind}: ${item}\n`);
    }
    if (found) io.err.write(`leftovers: the test run left ${found} thing(s) behind\n`);
    return found ? 1 : 0;
}

if (isMain(import.meta.url)) {
    process.exitCode = await run(process.argv.slice(2));
}
