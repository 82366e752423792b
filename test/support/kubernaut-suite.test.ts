/**
 * The pieces of the Kubernaut-suite hand-off that run without a cluster: the anchored edits (each anchor exactly once,
 * or a clear error) and the reading of a Ginkgo JSON report.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { applyEdits, specResults } from "../cluster/support/kubernaut-suite.js";
import { tempDir } from "./steps.js";

describe("the Kubernaut suite hand-off", () => {
    it("applies each edit at its anchor", () => {
        const text = "a\nsetup()\nb\nteardown()\n";
        assert.equal(
            applyEdits(
                text,
                [
                    { anchor: "setup()", replacement: "if ext { return }\nsetup()" },
                    { anchor: "teardown()", replacement: "skip()" },
                ],
                "f.go",
            ),
            "a\nif ext { return }\nsetup()\nb\nskip()\n",
        );
    });

    it("refuses an anchor that is missing or appears twice, naming the file", () => {
        assert.throws(
            () => applyEdits("x\n", [{ anchor: "setup()", replacement: "" }], "suite_test.go"),
            /suite_test\.go: expected the anchor once, found it 0 times: "setup\(\)"/,
        );
        assert.throws(
            () => applyEdits("setup()\nsetup()\n", [{ anchor: "setup()", replacement: "" }], "suite_test.go"),
            /found it 2 times/,
        );
    });

    it("reads each spec of a Ginkgo JSON report with its state and the first line of its failure", () => {
        const file = path.join(tempDir("ginkgo-report"), "report.json");
        fs.writeFileSync(
            file,
            JSON.stringify([
                {
                    SpecReports: [
                        { LeafNodeType: "SynchronizedBeforeSuite", LeafNodeText: "", State: "passed" },
                        {
                            LeafNodeType: "It",
                            ContainerHierarchyTexts: ["BR-1", "ctx"],
                            LeafNodeText: "works",
                            State: "passed",
                        },
                        {
                            LeafNodeType: "It",
                            ContainerHierarchyTexts: ["BR-2"],
                            LeafNodeText: "waits",
                            State: "failed",
                            Failure: { Message: "\nTimed out after 120s.\nmore" },
                        },
                    ],
                },
            ]),
        );
        assert.deepEqual(specResults(file), [
            { text: "BR-1 › ctx › works", state: "passed" },
            { text: "BR-2 › waits", state: "failed", failure: "Timed out after 120s." },
        ]);
    });
});
