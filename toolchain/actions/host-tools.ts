/**
 * The host's tools in the toolchain's `bin/`: kind, kubectl and kwok for every stack, and Ginkgo (Kubernaut's suites)
 * and yq (its own setup) where Kubernaut's tree is at hand, since Ginkgo's version is the one Kubernaut's go.mod
 * requires. Two actions, so a machine without Kubernaut still gets kind and kubectl.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ToolchainAction } from "../action.js";
import { buildDir } from "./kubernetes.js";

/** Links each `[action, tool]`'s binary into `bin/`. */
function linkTools(name: string, description: string, tools: readonly (readonly [string, string])[]): ToolchainAction {
    return {
        name,
        description,
        revision: 4,
        needs: tools.map(([action]) => action),
        present: (ctx) => tools.every(([, tool]) => fs.existsSync(path.join(ctx.layout.binDir, tool))),
        async run(ctx) {
            fs.mkdirSync(ctx.layout.binDir, { recursive: true });
            for (const [action, tool] of tools) {
                const link = path.join(ctx.layout.binDir, tool);
                fs.rmSync(link, { force: true });
                fs.symlinkSync(path.join(buildDir(ctx, action), tool), link);
            }
        },
    };
}

export const hostTools = linkTools("host-tools", "kind, kubectl and kwok in the toolchain's bin/", [
    ["kind", "kind"],
    ["kubernetes", "kubectl"],
    ["kwok", "kwok"],
]);

export const suiteTools = linkTools("suite-tools", "ginkgo and yq (Kubernaut's suites and setup) in bin/", [
    ["ginkgo", "ginkgo"],
    ["yq", "yq"],
]);
