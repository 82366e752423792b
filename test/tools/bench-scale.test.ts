import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { median, scaleTable, type StackTiming } from "../../bench/scale.js";

describe("bench:scale report", () => {
    it("takes medians of the stack at each reported count and the two before it", () => {
        const timings: StackTiming[] = Array.from({ length: 10 }, (_, i) => ({
            index: i + 1,
            stack: `s-${i + 1}`,
            planSeconds: 1,
            previewSeconds: i + 1,
            upSeconds: 10 * (i + 1),
            destroySeconds: i === 9 ? 5 : undefined,
        }));
        const lines = scaleTable(timings, [1, 10, 50]).split("\n");
        assert.equal(lines.length, 3, "a count beyond the stacks brought up is not reported");
        assert.deepEqual(lines[1].trim().split(/\s+/), ["1", "1.0", "1.0", "10.0", "–"]);
        assert.deepEqual(lines[2].trim().split(/\s+/), ["10", "1.0", "9.0", "90.0", "5.0"]);
        assert.equal(median([3, 1, 2, 10]), 2.5);
    });
});
