/**
 * The coverage report, for real with Go: an instrumented stand-in service writes its counters when stopped gracefully
 * (SIGTERM, as a scale-down stops it), and `go tool covdata` turns them into per-package percentages and a profile.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { coverageReport, coverageTable } from "../../cli/coverage.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { tempDir } from "../support/steps.js";

const GO_ENV = { GOFLAGS: "-mod=readonly", GOPROXY: "off", GOWORK: "off", CGO_ENABLED: "0" };

describe("coverage", () => {
    it("collects what a stopped instrumented service wrote, per package, with a profile", async () => {
        const repo = tempDir("coverage-src");
        fs.cpSync(path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut"), repo, { recursive: true });
        const binary = path.join(repo, "gateway-cover");
        await execa("go", ["build", "-cover", "-o", binary, "./cmd/gateway"], { cwd: repo, env: GO_ENV });
        const counters = tempDir("coverdata");
        // The stand-in serves until SIGTERM, as Kubernaut's services do; stopping it must flush the counters.
        const service = execa(binary, [], { env: { GOCOVERDIR: counters }, reject: false });
        // Until it says it started, a SIGTERM could arrive before its handler (a fixed sleep lost that race under
        // load).
        await new Promise<void>((resolve) => {
            let seen = "";
            service.stderr?.on("data", (chunk: Buffer) => {
                seen += chunk.toString();
                if (seen.includes("started")) resolve();
            });
        });
        assert.deepEqual(
            fs.readdirSync(counters).filter((f) => f.startsWith("covcounters")),
            [],
            "nothing is written while it runs",
        );
        service.kill("SIGTERM");
        await service;
        assert.ok(
            fs.readdirSync(counters).some((f) => f.startsWith("covcounters")),
            "counters written on a graceful stop",
        );

        const profile = path.join(tempDir("coverage-out"), "coverage.out");
        const rows = await coverageReport(counters, profile);
        const gateway = rows.find((r) => r.pkg.endsWith("/cmd/gateway"));
        assert.ok(gateway && gateway.percent > 0, JSON.stringify(rows));
        assert.match(fs.readFileSync(profile, "utf8"), /^mode: set\n.*cmd\/gateway\/main\.go:/s);
        assert.match(
            coverageTable(rows),
            new RegExp(`^package\\s+coverage\\n.*cmd/gateway\\s+${gateway.percent.toFixed(1)}%`, "s"),
        );
    });
});
