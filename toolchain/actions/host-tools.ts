/** The host's kind, kubectl, kwok, Ginkgo (Kubernaut's suites) and yq (its setup), in the toolchain's `bin/`. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ToolchainAction } from "../action.js";
import { buildDir } from "./kubernetes.js";

const TOOLS = [
    ["kind", "kind"],
    ["kubernetes", "kubectl"],
    ["kwok", "kwok"],
    ["ginkgo", "ginkgo"],
    ["yq", "yq"],
] as const;

export const hostTools: ToolchainAction = {
    name: "host-tools",
    description: "kind, kubectl, kwok, ginkgo and yq in the toolchain's bin/",
    revision: 3,
    needs: ["kind", "kubernetes", "kwok", "ginkgo", "yq"],
    present: (ctx) => TOOLS.every(([, tool]) => fs.existsSync(path.join(ctx.layout.binDir, tool))),
    async run(ctx) {
        fs.mkdirSync(ctx.layout.binDir, { recursive: true });
        for (const [action, tool] of TOOLS) {
            const link = path.join(ctx.layout.binDir, tool);
            fs.rmSync(link, { force: true });
            fs.symlinkSync(path.join(buildDir(ctx, action), tool), link);
        }
    },
};
