/** `npm run test:lanes`'s table: one row per lane, from each lane's `npm run e2e` result. */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { minutes, resultsTable } from "../../cli/test-lanes.js";

describe("the lanes' results table", () => {
    it("shows each lane's counts, the specs not runnable here with why, and its up and suite times", () => {
        const table = resultsTable([
            {
                stack: "datastorage-e2e",
                exitCode: 0,
                totalSpecs: 142,
                states: { passed: 134, failed: 0, skipped: 8, pending: 0 },
                notRunnableHere: 8,
                notRunnableReasons: ["8: no internet for cert-manager"],
                upSeconds: 104.2,
                suiteSeconds: 8,
                wallSeconds: 200,
                date: "2026-12-07",
            },
            { stack: "workflowexecution-e2e", exitCode: 1, wallSeconds: 30, date: "2026-12-07" },
        ]).split("\n");
        assert.equal(
            table[2],
            "| `datastorage-e2e` | 142 | 134 | 0 | 8 | 8: no internet for cert-manager | 1 min 44 s | 0 min 8 s | 2026-12-07 |",
        );
        assert.match(table[3], /^\| `workflowexecution-e2e` \| — \(no report\) \| — \| — \| — \| 0 \| — \| — \|/);
    });

    it("rounds the seconds before splitting them into minutes: 179.9 s is 3 min 0 s, not 2 min 60 s", () => {
        assert.equal(minutes(179.89), "3 min 0 s");
        assert.equal(minutes(59.4), "0 min 59 s");
        assert.equal(minutes(undefined), "—");
    });
});
