/**
 * What Kubernaut's lanes and suites use beyond the cluster:
 *
 * - goose, which Kubernaut's db-migrate image builds from Go modules in a builder stage pinned to a remote image by
 *   digest (so that stage cannot run here); built the way that Dockerfile builds it, PostgreSQL only;
 * - every module Kubernaut's go.mod needs, in the toolchain's module cache, so its Ginkgo suites compile on the host
 *   with `GOPROXY=off` (the builder stand-in's modules live inside that image);
 * - the Ginkgo CLI at the version Kubernaut's go.mod pins, which runs a compiled suite, in parallel too.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import type { ToolchainAction } from "../action.js";
import { goBuild, goEnv, writeWrapperModule } from "../go.js";
import { buildDir, goInstall } from "./kubernetes.js";
import { kubernautSource, kubernautSourceDir } from "./kubernaut-source.js";

export const goose: ToolchainAction = {
    name: "goose",
    description: "goose, Kubernaut's migration tool (github.com/pressly/goose/v3, PostgreSQL only)",
    revision: 1,
    present: (ctx) => import("node:fs").then((fs) => fs.existsSync(path.join(buildDir(ctx, "goose"), "goose"))),
    async run(ctx) {
        const { version } = ctx.pins.goose;
        const dir = await writeWrapperModule(
            ctx.layout,
            path.join(ctx.layout.workDir, "goose"),
            {
                name: "goose",
                goVersion: "1.24",
                require: { "github.com/pressly/goose/v3": version },
            },
            [`github.com/pressly/goose/v3/cmd/goose@${version}`],
        );
        await goBuild(ctx, {
            dir,
            packages: ["github.com/pressly/goose/v3/cmd/goose"],
            output: path.join(buildDir(ctx, "goose"), "goose"),
            tags: ["no_clickhouse", "no_mssql", "no_mysql", "no_sqlite3", "no_turso", "no_vertica", "no_ydb"],
        });
    },
};

/** Where `kubernaut-modules` records what the module proxy refused. */
export function refusedModulesFile(ctx: Pick<Parameters<ToolchainAction["run"]>[0], "layout">): string {
    return path.join(buildDir(ctx, "kubernaut-modules"), "refused.txt");
}

export const kubernautModules: ToolchainAction = {
    name: "kubernaut-modules",
    description: "every module Kubernaut's go.mod needs, in the toolchain's module cache (its suites compile offline)",
    revision: 2,
    needs: ["kubernaut-source"],
    present: (ctx) => fs.existsSync(refusedModulesFile(ctx)),
    async run(ctx) {
        const source = kubernautSourceDir(ctx.layout);
        ctx.progress.doing("downloading the modules of Kubernaut's go.mod");
        // go.mod's own list (direct and indirect, as Go's pruned module graph records it): `go list -m all` fails
        // outright on the modules the proxy refuses.
        const edit = await runTool("go", ["mod", "edit", "-json"], { doing: "read Kubernaut's go.mod", cwd: source });
        const required =
            (JSON.parse(edit.stdout) as { Require?: Array<{ Path: string; Version: string }> }).Require ?? [];
        const modules = required.map((r) => `${r.Path}@${r.Version}`);
        const refused: string[] = [];
        for (const [i, module] of modules.entries()) {
            ctx.progress.count(i + 1, modules.length, "modules");
            const result = await runTool("go", ["mod", "download", module], {
                doing: `download ${module}`,
                cwd: source,
                env: goEnv(ctx.layout),
                allowFailure: true,
            });
            if (result.exitCode !== 0) refused.push(module);
        }
        if (refused.length) ctx.log(`toolchain: kubernaut-modules: the module proxy refuses ${refused.join(", ")}`);
        fs.mkdirSync(path.dirname(refusedModulesFile(ctx)), { recursive: true });
        fs.writeFileSync(refusedModulesFile(ctx), refused.map((m) => `${m}\n`).join(""));
    },
};

/** The version of `module` Kubernaut's go.mod requires. */
function kubernautRequire(ctx: Parameters<ToolchainAction["run"]>[0], module: string): string {
    const goMod = fs.readFileSync(path.join(kubernautSourceDir(ctx.layout), "go.mod"), "utf8");
    const version = new RegExp(`^\\s*${module.replace(/[.]/g, "\\.")}\\s+(v\\S+)`, "m").exec(goMod)?.[1];
    if (!version) throw new Error(`Kubernaut's go.mod requires no ${module}`);
    return version;
}

// Not a pin of its own: the version is Kubernaut's, so a suite and its CLI never disagree.
export const ginkgo: ToolchainAction = {
    ...goInstall(
        "ginkgo",
        "the Ginkgo CLI at the version Kubernaut's go.mod requires",
        "github.com/onsi/ginkgo/v2",
        (ctx) => kubernautRequire(ctx, "github.com/onsi/ginkgo/v2"),
        ["ginkgo"],
    ),
    needs: ["kubernaut-source"],
};

/**
 * mikefarah's yq v4, which Kubernaut's own setup pipes its DataStorage ClusterRole through (`yq eval`); Debian's
 * `yq` is another program. Only `bench:versus` runs that setup. Its version: the newest the module proxy serves.
 */
export const yq: ToolchainAction = goInstall(
    "yq",
    "mikefarah's yq v4 (for Kubernaut's own setup, which bench:versus runs)",
    "github.com/mikefarah/yq/v4",
    () => "v4.54.3",
    ["."],
    { binaries: ["yq"] },
);

export const KUBERNAUT_ACTIONS: readonly ToolchainAction[] = [goose, kubernautSource, kubernautModules, ginkgo, yq];
