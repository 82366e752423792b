/**
 * The layout's promises, checked on the compiled code: what the Pulumi program loads at run time imports none of the
 * offline tools, commands, step programs or the toolchain; components never reach into step programs.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT } from "../lib/stack-scope.js";

const BIN = path.join(PROJECT_ROOT, "bin");

/** Every project file `entry` reaches through relative imports, static or dynamic. */
function closure(entry: string): Set<string> {
    const seen = new Set<string>();
    const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const source = fs.readFileSync(file, "utf8");
        for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
            visit(path.resolve(path.dirname(file), match[1]));
        }
    };
    visit(entry);
    return new Set([...seen].map((f) => path.relative(BIN, f)));
}

describe("layout", () => {
    it("keeps the Pulumi program's run-time code free of tools, commands, steps and the toolchain", () => {
        // The entry loads one stack program by its environment's name (a computed import): every one of them counts.
        const programs = fs
            .readdirSync(path.join(BIN, "stacks"))
            .filter((f) => f.endsWith("-e2e.js"))
            .map((f) => path.join(BIN, "stacks", f));
        assert.ok(programs.length >= 11, "every stack program");
        const loaded = [
            ...new Set([path.join(BIN, "stacks", "index.js"), ...programs].flatMap((entry) => [...closure(entry)])),
        ];
        const offending = loaded.filter((f) => /^(tools|cli|steps|toolchain|policy|bench|provider)\//.test(f));
        assert.deepEqual(offending, []);
        assert.ok(loaded.includes("components/kind-cluster.js"), "the closure is the program's");
    });

    it("keeps components out of the step programs: shared logic lives in lib/", () => {
        for (const file of fs.readdirSync(path.join(BIN, "components"), { recursive: true }) as string[]) {
            if (!file.endsWith(".js")) continue;
            const offending = [...closure(path.join(BIN, "components", file))].filter((f) => f.startsWith("steps/"));
            assert.deepEqual(offending, [], `components/${file}`);
        }
    });

    it("keeps the provider independent of components and stacks", () => {
        const loaded = [...closure(path.join(BIN, "provider", "index.js"))];
        assert.deepEqual(
            loaded.filter((f) => /^(components|stacks|tools|cli)\//.test(f)),
            [],
        );
    });
});
