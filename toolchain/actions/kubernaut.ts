/**
 * What Kubernaut's lanes use beyond the cluster: goose, which Kubernaut's db-migrate image builds from Go modules in a
 * builder stage pinned to a remote image by digest (so that stage cannot run here). Built the way that Dockerfile
 * builds it: goose's CLI with every database driver but PostgreSQL left out.
 */
import * as path from "node:path";
import type { ToolchainAction } from "../action.js";
import { goBuild, writeWrapperModule } from "../go.js";
import { buildDir } from "./kubernetes.js";
import { kubernautSource } from "./kubernaut-source.js";

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

export const KUBERNAUT_ACTIONS: readonly ToolchainAction[] = [goose, kubernautSource];
