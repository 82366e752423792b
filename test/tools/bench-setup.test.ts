/** bench:setup's arithmetic and report (the measurements themselves come from real runs). */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { benchTable, changeMarker, phasesOf, SCENARIOS, stats, type Measurement } from "../../bench/setup.js";

const kinds = (build: number) => ({
    "image build": build,
    cluster: 0,
    "image load": 0,
    "kubernetes object": 1,
    other: 0,
});

describe("bench:setup", () => {
    it("takes medians of odd and even counts, with min and max", () => {
        assert.deepEqual(stats([3, 1, 2]), { median: 2, min: 1, max: 3 });
        assert.deepEqual(stats([4, 1, 2, 3]), { median: 2.5, min: 1, max: 4 });
    });

    it("reports every scenario with its phases and kinds, and the conditions", () => {
        const measurements: Measurement[] = SCENARIOS.flatMap((scenario, i) =>
            [1, 2].map((run) => ({
                scenario,
                run,
                wallSeconds: 10 * (i + 1) + run,
                exitCode: 0,
                byKind: kinds(scenario === "cold" ? 30 : 0),
                phases: { startup: 2, program: 1, steps: 5 + run, finish: 1 },
                stepsRun: 3,
            })),
        );
        const table = benchTable(
            "smoke-e2e",
            {
                cpuModel: "AMD EPYC",
                cpuCount: 2,
                memoryGiB: 23.4,
                engine: "podman",
                engineVersion: "4.3.1",
                kindVersion: "kind v0.30.0",
                pulumiVersion: "v3.248.0",
                node: "v20.20.2",
                imagesPrebuilt: { "localhost/x/api:1": true },
            },
            measurements,
        );
        assert.match(table, /^smoke-e2e: 2 run\(s\) per scenario/);
        assert.match(table, /^cold\s+11\.5 \(11–12\)\s+2\s+1\s+6\.5 \(6–7\)\s+1\s+30\s+0\s+0\s+1\s+0\s*$/m);
        assert.match(table, /^noop\s+31\.5 \(31–32\)/m);
        assert.match(table, /conditions: 2 × AMD EPYC, 23\.4 GiB; podman 4\.3\.1; kind v0\.30\.0; Pulumi v3\.248\.0/);
        assert.match(table, /api:1=yes/);
    });
});

describe("bench:setup's change", () => {
    it("appends a comment in the changed file's own syntax", () => {
        assert.equal(changeMarker("cmd/sp/main.go", 7), "\n// bench 7\n");
        assert.equal(changeMarker("manifests/smoke/api/index.html", 7), "\n<!-- bench 7 -->\n");
        assert.equal(changeMarker("work.sh", 7), "\n# bench 7\n");
    });
});

describe("bench:setup's phases", () => {
    it("splits the wall time at the engine's first event, the first step and the last, with step times relative to the log", () => {
        // Started at 1000 s, 20 s wall; the engine's events from 1003 to 1018; steps from 5 s to 14 s after its first.
        assert.deepEqual(phasesOf(1000, 20, { first: 1003, last: 1018 }, { first: 5, last: 14 }), {
            startup: 3,
            program: 5,
            steps: 9,
            finish: 3,
        });
        // A no-op: no step, so the engine's whole time is the program's (evaluation and diffs).
        assert.deepEqual(phasesOf(1000, 5.5, { first: 1002, last: 1005 }, undefined), {
            startup: 2,
            program: 3,
            steps: 0,
            finish: 0.5,
        });
        assert.deepEqual(phasesOf(1000, 4, undefined, undefined), { startup: 4, program: 0, steps: 0, finish: 0 });
    });
});
