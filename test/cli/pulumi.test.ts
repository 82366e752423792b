/** The Pulumi CLI wrapper's command lines (the CLI itself cannot run here). */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { pulumiInvocation } from "../../cli/pulumi.js";
import { processIO } from "../../lib/command-line.js";
import { run } from "../../cli/pulumi.js";

describe("pulumi wrapper", () => {
    it("creates the stack if missing with a passphrase provider, then runs the verb with the user's flags", () => {
        const inv = pulumiInvocation("up", "smoke-e2e", ["--yes", "--parallel", "8"], {});
        assert.deepEqual(inv.commands, [
            ["stack", "select", "--create", "--secrets-provider", "passphrase", "smoke-e2e"],
            ["up", "--stack", "smoke-e2e", "--yes", "--parallel", "8"],
        ]);
        assert.deepEqual(inv.env, { PULUMI_CONFIG_PASSPHRASE: "" });
    });

    it("keeps a passphrase the user set, and lets destroy drop objects of a vanished cluster", () => {
        const inv = pulumiInvocation("destroy", "smoke-e2e", [], { PULUMI_CONFIG_PASSPHRASE: "s3cret" });
        assert.deepEqual(inv.env, { PULUMI_K8S_DELETE_UNREACHABLE: "true" }, "the user's passphrase is inherited, not overridden");
        assert.deepEqual(pulumiInvocation("up", "smoke-e2e", [], { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/pp" }).env, {}, "nor is a passphrase file");
    });

    it("fails with usage on an unknown verb or a missing stack", async () => {
        await assert.rejects(() => run(["apply", "smoke-e2e"], processIO()), /usage: npm run up\|preview\|destroy -- <stack>/);
        await assert.rejects(() => run(["up"], processIO()), /missing required argument 'stack'/);
    });
});
