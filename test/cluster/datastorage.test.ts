/**
 * A second lane beside SignalProcessing, walked as a Kubernaut developer would: `npm run e2e -- datastorage-e2e
 * --destroy` from nothing brings the stack up from Kubernaut's pinned tree, runs Kubernaut's own DataStorage suite
 * against it through the hand-off, and tears it down. DataStorage is the service every other lane builds on, and its
 * suite is the one that exercises it most (its own PostgreSQL and Redis, migrations, the REST API).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROFILE_ENV, profileFile } from "../../lib/toolchain/profile.js";
import { toolchainLayout } from "../../lib/toolchain/layout.js";
import { readSuiteReport } from "../../tools/handoff/report.js";
import { SUITES } from "../../tools/handoff/suites.js";
import {
    deleteClusters,
    podmanImagesSnapshot,
    ProjectCopy,
    requireToolchain,
    uniqueName,
    type Toolchain,
} from "./support/harness.js";
import { kubernautRoot } from "./support/kubernaut-checkout.js";

const STACK = "datastorage-e2e";

describe("datastorage-e2e: Kubernaut's own DataStorage suite with `npm run e2e --destroy`", () => {
    let toolchain: Toolchain;
    let project: ProjectCopy;
    let removeAddedImages: (() => Promise<void>) | undefined;
    const cluster = uniqueName("ke2e-ds-real");

    before(async () => {
        toolchain = await requireToolchain();
        removeAddedImages = await podmanImagesSnapshot(toolchain);
        project = await ProjectCopy.create(toolchain, { [PROFILE_ENV]: profileFile(toolchainLayout()) });
        // The lane's own host ports: Kubernaut's suite hard-codes them.
        await project.initStack(STACK, { kubernautRoot: kubernautRoot(), clusterName: cluster });
    });
    after(async () => {
        if (project) {
            await project.pulumi(["destroy", "--yes", "--skip-preview"], { stack: STACK, reject: false });
            project.remove();
        }
        if (toolchain) await deleteClusters(toolchain, [cluster]);
        await removeAddedImages?.();
    });

    it("comes up, passes every spec that can run here, names the others, and is destroyed after", async (t) => {
        const run = await project.command("e2e", [STACK, "--destroy"]);
        const reports = path.join(project.dir, ".work", STACK, "reports");
        const newest = fs.readdirSync(reports).sort().pop();
        assert.ok(newest, `no report in ${reports}\n${run.output.slice(-4000)}`);
        const dir = path.join(reports, newest);
        const notHere = SUITES[STACK]?.notRunnableHere ?? [];
        const { specs, totalSpecs } = readSuiteReport(path.join(dir, "ginkgo.json"), notHere);
        for (const spec of specs.filter((s) => s.state !== "passed"))
            t.diagnostic(`${spec.state.padEnd(8)} ${spec.text}${spec.failure ? ` — ${spec.failure.firstLine}` : ""}`);
        assert.equal(run.exitCode, 0, run.output.slice(-6000));
        const result = JSON.parse(fs.readFileSync(path.join(dir, "result.json"), "utf8")) as {
            states: Record<string, number>;
            notRunnableHere: number;
            upSeconds?: number;
        };
        assert.equal(typeof result.upSeconds, "number", "it brought the stack up first");
        const expectedNotHere = notHere.reduce((n, entry) => n + entry.count, 0);
        assert.equal(result.notRunnableHere, expectedNotHere, "the specs named as not runnable here, and only they");
        assert.equal(result.states.passed, totalSpecs - expectedNotHere, JSON.stringify(result.states));
        const outputs = await project.pulumi(["stack", "output", "--json"], { stack: STACK });
        assert.deepEqual(JSON.parse(outputs.stdout), {}, "--destroy tore the stack down");
    });
});
