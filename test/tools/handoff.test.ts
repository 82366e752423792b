/**
 * The parts of `npm run e2e` that need no cluster: each lane's hand-off against Kubernaut's suites at the pinned
 * commit, the edits' failure when an anchor moved, the Ginkgo command line, the report's reading and the log windows
 * of a failed spec.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { resolveKubernautRoot } from "../../lib/kubernaut-source.js";
import { PROFILE_ENV, readToolchainProfile } from "../../lib/toolchain/profile.js";
import { LANES } from "../../stacks/lanes.js";
import { applyEdits, applyEditsIn } from "../../tools/handoff/edits.js";
import { timedLines, windowName } from "../../tools/handoff/gather.js";
import { cliSpelling, DEFAULT_TIMEOUT, ginkgoArgs } from "../../tools/handoff/ginkgo.js";
import { readSuiteReport, runFailed, summaryLines } from "../../tools/handoff/report.js";
import { SUITES } from "../../tools/handoff/suites.js";
import { tempDir } from "../support/steps.js";

/** Kubernaut's tree at the pinned commit: the toolchain's, else the checkout a stack would use. */
function pinnedTree(): string {
    const profile = readToolchainProfile({ ...process.env, [PROFILE_ENV]: "" });
    const tree = profile?.kubernautRoot ?? resolveKubernautRoot(undefined, process.env).root;
    if (!fs.existsSync(path.join(tree, "go.mod")))
        assert.fail(
            `no Kubernaut tree to check the hand-offs against (looked at ${tree}): build the toolchain ` +
                "(`npm run setup`), or set KUBERNAUT_ROOT to a checkout at the pinned commit",
        );
    return tree;
}

describe("each lane's suite hand-off", () => {
    it("has a suite for every Kubernaut lane", () => {
        assert.deepEqual(Object.keys(SUITES).sort(), Object.keys(LANES).sort());
    });

    for (const suite of Object.values(SUITES)) {
        it(`${suite.stack}: every edit finds its anchor in ${suite.dir} at the pinned commit`, () => {
            const dir = path.join(pinnedTree(), suite.dir);
            const packages = fs
                .readdirSync(dir)
                .filter((f) => f.endsWith("_test.go"))
                .map((f) => /^package (\w+)/m.exec(fs.readFileSync(path.join(dir, f), "utf8"))?.[1]);
            assert.ok(packages.includes(suite.package), `${suite.dir} has no package ${suite.package}`);
            assert.ok(
                suite.edits.length > 0,
                "a suite with no edit would build its own cluster and delete the stack's",
            );
            // The edited files, copied where they are in the tree (an edit may reach test/infrastructure).
            const copyRoot = tempDir(`handoff-${suite.package}`);
            const copy = path.join(copyRoot, suite.dir);
            for (const file of new Set(suite.edits.map((e) => e.file))) {
                const target = path.join(copy, file);
                assert.ok(!path.relative(copyRoot, target).startsWith(".."), `${file} is outside the checkout`);
                fs.mkdirSync(path.dirname(target), { recursive: true });
                fs.copyFileSync(path.join(dir, file), target);
            }
            applyEditsIn(copy, suite.edits);
            for (const edit of suite.edits) {
                const text = fs.readFileSync(path.join(copy, edit.file), "utf8");
                assert.ok(text.includes(edit.replacement), `${edit.file}: the replacement is not in the result`);
            }
        });
    }
});

describe("the hand-off's edits", () => {
    it("applies each edit at its anchor, and an `every` edit at each occurrence", () => {
        const text = "a\nsetup()\nb\nca()\nca()\n";
        const edits = [
            { anchor: "setup()", replacement: "skip()\nsetup()" },
            { anchor: "ca()", replacement: "stackCA()", every: true },
        ];
        assert.equal(applyEdits(text, edits, "f.go"), "a\nskip()\nsetup()\nb\nstackCA()\nstackCA()\n");
    });

    it("fails naming the file and the anchor when an anchor moved or appears twice", () => {
        assert.throws(
            () => applyEdits("x\n", [{ anchor: "setup()", replacement: "" }], "suite_test.go"),
            /^Error: suite_test\.go: expected the anchor once, found it 0 times: "setup\(\)"$/,
        );
        assert.throws(() => applyEdits("s()\ns()\n", [{ anchor: "s()", replacement: "" }], "f.go"), /found it 2/);
        assert.throws(
            () => applyEdits("x\n", [{ anchor: "ca()", replacement: "", every: true }], "f.go"),
            /expected the anchor at least once, found it 0 times/,
        );
    });

    it("a replacement holding `$&` is taken literally", () => {
        assert.equal(applyEdits("a\n", [{ anchor: "a", replacement: "$&$&" }], "f.go"), "$&$&\n");
    });
});

describe("the Ginkgo command line", () => {
    const base = { binary: "/s/x.test", reportDir: "/r", notRunnableHere: [] };

    it("runs a process per core with a timeout unless the user says otherwise, the binary last", () => {
        const args = ginkgoArgs({ ...base, userFlags: ["-v"], procs: 3 });
        assert.deepEqual(args, [
            "--procs=3",
            `--timeout=${DEFAULT_TIMEOUT}`,
            "--output-dir=/r",
            "--json-report=ginkgo.json",
            "--junit-report=junit.xml",
            "-v",
            "/s/x.test",
        ]);
        const own = ginkgoArgs({ ...base, userFlags: ["-p", "--timeout=5m"] });
        assert.ok(!own.some((a) => a.startsWith("--procs") || a === `--timeout=${DEFAULT_TIMEOUT}`), own.join(" "));
    });

    it("takes a test binary's spelling of a flag (--ginkgo.focus) as the CLI's", () => {
        assert.equal(cliSpelling("--ginkgo.focus=BR-1"), "--focus=BR-1");
        assert.equal(cliSpelling("-ginkgo.v"), "-v");
        assert.equal(cliSpelling("--label-filter=x"), "--label-filter=x");
        assert.ok(ginkgoArgs({ ...base, userFlags: ["--ginkgo.label-filter=e2e"] }).includes("--label-filter=e2e"));
    });

    it("skips the specs not runnable here and refuses report flags of its own", () => {
        const skip = { specs: "AWX", count: 2, reason: "no AWX" };
        assert.ok(ginkgoArgs({ ...base, notRunnableHere: [skip], userFlags: [] }).includes("--skip=AWX"));
        assert.throws(() => ginkgoArgs({ ...base, userFlags: ["--json-report=x.json"] }), /--json-report. is set by/);
    });
});

describe("reading a Ginkgo report", () => {
    const report = (specs: unknown[], extra: Record<string, unknown> = {}) => {
        const file = path.join(tempDir("ginkgo-report"), "ginkgo.json");
        fs.writeFileSync(
            file,
            JSON.stringify([{ SuiteSucceeded: true, PreRunStats: { TotalSpecs: 4 }, SpecReports: specs, ...extra }]),
        );
        return file;
    };
    const it1 = (text: string, State: string, more: Record<string, unknown> = {}) => ({
        LeafNodeType: "It",
        ContainerHierarchyTexts: ["BR-1"],
        LeafNodeText: text,
        State,
        ...more,
    });

    it("counts each state, names each failure with its first line and location, and the specs not runnable here", () => {
        const file = report(
            [
                it1("works", "passed"),
                it1("waits", "failed", {
                    StartTime: "2026-12-07T10:00:00Z",
                    EndTime: "2026-12-07T10:02:00Z",
                    Failure: {
                        Message: "\nTimed out after 120s.\nmore",
                        Location: { FileName: "a.go", LineNumber: 7 },
                    },
                }),
                it1("runs an AWX job", "skipped"),
                it1("later", "pending"),
            ],
            { SuiteSucceeded: false },
        );
        const outcome = readSuiteReport(file, [{ specs: "AWX", count: 1, reason: "AWX cannot be built here" }]);
        assert.equal(outcome.totalSpecs, 4);
        assert.ok(runFailed(outcome));
        const lines = summaryLines(outcome);
        assert.deepEqual(lines.slice(0, 5), [
            "4 of 4 specs reported",
            "  passed      1",
            "  failed      1",
            "  skipped     1 (1 not runnable here)",
            "  pending     1",
        ]);
        assert.ok(lines.includes("  FAILED [It] BR-1 › waits"), lines.join("\n"));
        assert.ok(lines.includes("      Timed out after 120s."));
        assert.ok(lines.includes("      at a.go:7"));
        assert.ok(lines.includes("  not runnable here (1): AWX cannot be built here"));
    });

    it("counts a failed suite node (a setup that failed before any spec ran) as a failed run", () => {
        const file = report([
            { LeafNodeType: "SynchronizedBeforeSuite", State: "failed", Failure: { Message: "no cluster" } },
            it1("works", "skipped"),
        ]);
        const outcome = readSuiteReport(file);
        assert.ok(runFailed(outcome));
        assert.ok(summaryLines(outcome).includes("  FAILED [SynchronizedBeforeSuite] SynchronizedBeforeSuite"));
    });

    it("passes a run where every spec passed or was skipped", () => {
        assert.ok(!runFailed(readSuiteReport(report([it1("works", "passed"), it1("other", "skipped")]))));
    });

    it("names a report it cannot read", () => {
        assert.throws(() => readSuiteReport("/nonexistent/ginkgo.json"), /cannot read the Ginkgo report/);
    });
});

describe("a failed spec's window", () => {
    it("times each log line, a line without a stamp taking the one before it", () => {
        const lines = timedLines("2026-12-07T10:00:00.5Z start\ncontinued\n2026-12-07T10:00:02Z next\n");
        assert.deepEqual(
            lines.map((l) => l.at),
            [
                Date.parse("2026-12-07T10:00:00.5Z"),
                Date.parse("2026-12-07T10:00:00.5Z"),
                Date.parse("2026-12-07T10:00:02Z"),
            ],
        );
    });

    it("names the folder after the spec's UTC window and its words", () => {
        const name = windowName({
            text: "BR-SP-090: writes audit › to DataStorage",
            nodeType: "It",
            state: "failed",
            failed: true,
            startTime: new Date("2026-12-07T10:00:01Z"),
            endTime: new Date("2026-12-07T10:02:03Z"),
        });
        assert.equal(name, "100001-100203-br-sp-090-writes-audit-to-datastorage");
    });
});
