/**
 * What the stack programs run on the host while planning: nothing but the explicit `--version` probe of binaries the
 * user configured — even on a machine where kind, Docker, Podman and kubectl are all on PATH (spies here).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { planStack } from "../../tools/plan-stack.js";
import { rejection } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

describe("program-time probes", () => {
    const dir = tempDir("spies");
    const log = path.join(dir, "calls.log");
    const savedPath = process.env.PATH;
    before(() => {
        for (const tool of ["kind", "docker", "podman", "kubectl"]) {
            fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> '${log}'\nexit 0\n`, {
                mode: 0o755,
            });
        }
        process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("work");
    });
    after(() => {
        process.env.PATH = savedPath;
    });

    for (const stack of ["smoke-e2e", "signalprocessing-e2e"]) {
        it(`plans ${stack} calling no tool on PATH, and only --version of the configured ones`, async () => {
            fs.rmSync(log, { force: true });
            await planStack(stack, {
                preview: true,
                configOverrides: {
                    "kubernaut-e2e:engineBinary": path.join(dir, "podman"),
                    "kubernaut-e2e:kindBinary": path.join(dir, "kind"),
                    ...(stack === "signalprocessing-e2e"
                        ? { "kubernaut-e2e:kubernautRoot": path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut") }
                        : {}),
                },
            }).catch((err) => assert.fail(err));
            assert.deepEqual(fs.readFileSync(log, "utf8").trim().split("\n").sort(), [
                "kind --version",
                "podman --version",
            ]);
        });
    }

    it("fails naming the key when a configured binary does not exist or does not run, before registering anything", async () => {
        const broken = path.join(dir, "broken");
        fs.writeFileSync(broken, "#!/bin/sh\necho 'no such engine' >&2\nexit 3\n", { mode: 0o755 });
        const err = await rejection(() =>
            planStack("smoke-e2e", {
                configOverrides: {
                    "kubernaut-e2e:engineBinary": "/nonexistent/docker",
                    "kubernaut-e2e:kindBinary": broken,
                },
            }),
        );
        assert.match(err.message, /`kubernaut-e2e:engineBinary`: `\/nonexistent\/docker` does not exist/);
        assert.match(err.message, /`kubernaut-e2e:kindBinary`: `.*broken --version` failed: no such engine/);
        assert.deepEqual(err.registered, []);
    });
});
