/** `npm run doctor` against fake tools on PATH: each line's verdict, the fix it offers, the exit code. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { describe, it } from "node:test";
import { diagnose, report, run } from "../../cli/doctor.js";
import { tempDir, withoutToolchain } from "../support/steps.js";

function tools(scripts: Record<string, string>): string {
    const dir = tempDir("doctor-path");
    for (const [name, body] of Object.entries(scripts))
        fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return dir;
}

const PLUGINS = JSON.stringify([
    {
        name: "kubernetes",
        kind: "resource",
        version: JSON.parse(fs.readFileSync("node_modules/@pulumi/kubernetes/package.json", "utf8")).version,
    },
]);
const env = (dir: string, extra: Record<string, string> = {}) => ({
    PATH: `${dir}:/usr/bin:/bin`,
    HOME: process.env.HOME,
    ...withoutToolchain(),
    ...extra,
});
/** A host that needs no setting: no v1 controllers mounted, no drop-ins. */
const HOST = {
    cgroupRoot: tempDir("cgroup"),
    hardNofile: Number.MAX_SAFE_INTEGER,
    modulesDir: "/",
    confDir: tempDir("containers-conf"),
};
const byName = (checks: Awaited<ReturnType<typeof diagnose>>) => Object.fromEntries(checks.map((c) => [c.name, c]));

describe("doctor", () => {
    it("says which prerequisite fails and what to do: a Docker that cannot run privileged containers, no kind, no CLI", async () => {
        const dir = tools({
            docker: [
                'case "$1" in',
                '  --version) echo "Docker version 28.2.2";;',
                '  images) echo "localhost/base:1";;',
                '  run) echo "docker: Error response from daemon: unable to apply caps: operation not permitted" >&2; echo "Run \'docker run --help\' for more information" >&2; exit 125;;',
                "esac",
            ].join("\n"),
        });
        const checks = byName(await diagnose(undefined, env(dir), HOST));
        assert.equal(checks.engine.verdict, "ok");
        assert.equal(checks.privileged.verdict, "FAIL");
        assert.match(checks.privileged.detail, /unable to apply caps/);
        assert.match(checks.privileged.fix!, /use Podman/);
        assert.equal(checks.kind.verdict, "FAIL");
        // The machine's own kubectl may be on /usr/bin; a broken one named explicitly fails.
        const broken = byName(
            await diagnose(undefined, env(dir, { KUBERNAUT_E2E_KUBECTL: "/bin/false" }), HOST),
        ).kubectl;
        assert.equal(broken.verdict, "FAIL");
        assert.match(broken.detail, /\/bin\/false does not run/);
        assert.match(checks.kind.fix!, /go install sigs\.k8s\.io\/kind/);
        assert.equal(checks.pulumi.verdict, "FAIL");
        assert.match(checks.pulumi.fix!, /npm run setup/);
        const lines: string[] = [];
        assert.equal(await run([], { out: (l) => lines.push(l), log: () => {}, env: env(dir) }), 1);
        assert.match(lines.join("\n"), /^FAIL {2}kind {8}not on PATH/m);
    });

    it("passes a machine with Podman, kind, the CLI and its plugin, and finds a stack's host port in use", async () => {
        const dir = tools({
            podman: 'case "$1" in --version) echo "podman version 4.3.1";; images) echo "localhost/node:1";; run) exit 0;; esac',
            kind: 'echo "kind v0.30.0 go1.26 linux/amd64"',
            kubectl: 'echo "Client Version: v1.34.4"',
            pulumi: `case "$1" in version) echo v3.248.0;; plugin) echo '${PLUGINS}';; esac`,
        });
        const checks = await diagnose(undefined, env(dir, { KIND_EXPERIMENTAL_PROVIDER: "podman" }), HOST);
        assert.deepEqual(
            checks.filter((c) => c.verdict === "FAIL").map((c) => c.name),
            [],
            report(checks),
        );
        assert.match(byName(checks).engine.detail, /^podman/);

        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(38080, "127.0.0.1", () => resolve()));
        try {
            const ports = byName(
                await diagnose("smoke-e2e", env(dir, { KIND_EXPERIMENTAL_PROVIDER: "podman" }), HOST),
            ).ports;
            assert.equal(ports.verdict, "FAIL");
            assert.match(ports.detail, /38080 \(`kubernaut-e2e:hostPort`\)/);
        } finally {
            server.close();
        }
    });
});
