/**
 * The README's quick start, walked as a new user walks it: its own command lines, read from README.md, run through
 * `bash` in a fresh `git clone` of this repository (no `../kubernaut` beside it, no config, no `eval`), then the
 * smoke stack the README offers beside it. What a user would check is checked: the lane's services answer, a second
 * `up` changes nothing, `destroy` leaves no cluster. `npm test`, the block's last line, is what CI has just run on
 * the same commit, so it is the one line not run here.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { PROFILE_ENV } from "../../lib/toolchain/profile.js";
import {
    deleteClusters,
    eventuallyFetch,
    podmanImagesSnapshot,
    requireToolchain,
    type Toolchain,
} from "./support/harness.js";

/** The command lines of the README's quick start block, comments removed. */
export function quickStartCommands(readme: string): string[] {
    const section = readme.split(/^## Quick start$/m)[1]?.split(/^## /m)[0] ?? "";
    const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    if (!block) throw new Error("README.md: no ```sh block under ## Quick start");
    return block
        .split("\n")
        .map((l) => l.replace(/\s+#.*$/, "").trim())
        .filter(Boolean);
}

interface Run {
    readonly command: string;
    readonly exitCode: number;
    readonly output: string;
    readonly seconds: number;
}

describe("the README's quick start, in a fresh clone", () => {
    let toolchain: Toolchain;
    let clone: string;
    let removeAddedImages: (() => Promise<void>) | undefined;
    const runs: Run[] = [];
    // The user's environment: none of the test run's own settings (its profile switch, its isolated cache home).
    const env: Record<string, string | undefined> = {
        ...process.env,
        [PROFILE_ENV]: undefined,
        XDG_CACHE_HOME: undefined,
    };
    const clusters = ["signalprocessing-e2e", "smoke-e2e"];

    const sh = async (command: string): Promise<Run> => {
        const started = performance.now();
        const result = await execa("bash", ["-c", command], {
            cwd: clone,
            env,
            extendEnv: false,
            reject: false,
            all: true,
        });
        const run = {
            command,
            exitCode: result.exitCode ?? -1,
            output: String(result.all),
            seconds: Math.round((performance.now() - started) / 100) / 10,
        };
        runs.push(run);
        return run;
    };
    const succeeds = async (command: string) => {
        const run = await sh(command);
        assert.equal(
            run.exitCode,
            0,
            `\`${command}\` failed (exit ${run.exitCode}) after ${run.seconds} s:\n${run.output.slice(-4000)}`,
        );
        return run;
    };

    before(async () => {
        toolchain = await requireToolchain();
        const existing = String(
            (
                await execa(toolchain.bin("kind"), ["get", "clusters"], {
                    env: { KIND_EXPERIMENTAL_PROVIDER: "podman" },
                    reject: false,
                })
            ).stdout,
        );
        const taken = clusters.filter((c) => existing.split("\n").includes(c));
        assert.deepEqual(
            taken,
            [],
            "the quick start's clusters must not exist already (a stack of the same name is up on this machine)",
        );
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        clone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-readme-")), "kubernaut-e2e");
        await execa("git", ["clone", "--quiet", PROJECT_ROOT, clone]);
    });

    after(async () => {
        for (const stack of clusters) if (clone) await sh(`npm run destroy -- ${stack} --yes`);
        // Only clusters this test made: when `before` found one up, it is someone's stack, and stays.
        if (toolchain && clone) await deleteClusters(toolchain, clusters);
        await removeAddedImages?.();
        if (clone) fs.rmSync(path.dirname(clone), { recursive: true, force: true });
        // The wall time of every command, for the notes.
        for (const run of runs)
            process.stdout.write(`# readme: ${run.seconds} s exit ${run.exitCode}: ${run.command}\n`);
    });

    it("brings signalprocessing-e2e up from the README's own lines, with no config and no checkout beside the clone", async () => {
        const commands = quickStartCommands(fs.readFileSync(path.join(clone, "README.md"), "utf8"));
        assert.ok(
            commands.includes("npm run up -- signalprocessing-e2e --yes"),
            `the quick start brings the SP lane up: ${commands.join(" / ")}`,
        );
        assert.equal(commands.at(-1), "npm test");
        for (const command of commands.slice(0, -1)) await succeeds(command);
        const up = runs.find((r) => r.command.includes("up -- signalprocessing-e2e"))!;
        assert.match(
            up.output,
            /using v3\.248\.0 from the offline toolchain/,
            "the toolchain's CLI, not node_modules/.bin's downloader",
        );
        assert.match(up.output, /signalProcessingMetricsUrl/);
    });

    it("serves what the SP suite reads: DataStorage over TLS with the stack's CA, the controller's metrics", async () => {
        const file = (await succeeds("npm run --silent outputs -- signalprocessing-e2e")).output
            .trim()
            .split("\n")
            .pop()!;
        const outputs = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
        assert.match(outputs.kubeconfigPath, new RegExp(`^${clone}/\\.work/`));
        const ready = await new Promise<number>((resolve, reject) => {
            https
                .get(`${outputs.dataStorageUrl}/readyz`, { ca: fs.readFileSync(outputs.caFile) }, (res) =>
                    resolve(res.statusCode ?? 0),
                )
                .on("error", reject);
        });
        assert.equal(ready, 200);
        await eventuallyFetch(outputs.signalProcessingMetricsUrl, /controller_runtime_reconcile_total/);
    });

    it("changes nothing on a second up", async () => {
        const again = await succeeds("npm run up -- signalprocessing-e2e --yes --skip-preview");
        assert.match(again.output, /Resources:\s+\d+ unchanged\s+Duration/, again.output.slice(-1500));
    });

    it("brings smoke-e2e up offline too (its images build FROM the toolchain's busybox), and destroys both", async () => {
        await succeeds("npm run up -- smoke-e2e --yes");
        await eventuallyFetch("http://127.0.0.1:38080/", /kubernaut-e2e smoke api/);
        for (const stack of clusters) await succeeds(`npm run destroy -- ${stack} --yes`);
        const left = String(
            (
                await execa(toolchain.bin("kind"), ["get", "clusters"], {
                    env: { KIND_EXPERIMENTAL_PROVIDER: "podman" },
                    reject: false,
                })
            ).stdout,
        );
        assert.deepEqual(
            clusters.filter((c) => left.split("\n").includes(c)),
            [],
        );
    });
});
