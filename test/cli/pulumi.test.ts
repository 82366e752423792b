/** The Pulumi CLI wrapper's command lines and environment, driving a fake `pulumi` (the real one: test:cluster). */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { tempDir, withoutToolchain } from "../support/steps.js";
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

    it("sets config through the wrapper, creating the stack first, so it works before the first up", () => {
        const inv = pulumiInvocation("config", "gateway-e2e", ["set", "kubernaut-e2e:coverage", "true"], {});
        assert.deepEqual(inv.commands, [
            ["stack", "select", "--create", "--secrets-provider", "passphrase", "gateway-e2e"],
            ["config", "set", "kubernaut-e2e:coverage", "true", "--stack", "gateway-e2e"],
        ]);
    });

    it("keeps a passphrase the user set, and lets destroy drop objects of a vanished cluster", () => {
        const inv = pulumiInvocation("destroy", "smoke-e2e", [], { PULUMI_CONFIG_PASSPHRASE: "s3cret" });
        assert.deepEqual(
            inv.env,
            { PULUMI_K8S_DELETE_UNREACHABLE: "true" },
            "the user's passphrase is inherited, not overridden",
        );
        assert.deepEqual(
            pulumiInvocation("up", "smoke-e2e", [], { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/pp" }).env,
            {},
            "nor is a passphrase file",
        );
    });

    it("fails with usage on an unknown verb or a missing stack", async () => {
        await assert.rejects(
            () => run(["apply", "smoke-e2e"], processIO()),
            /usage: npm run up\|preview\|destroy -- <stack> \[pulumi flags\], or npm run config/,
        );
        await assert.rejects(() => run(["up"], processIO()), /missing required argument 'stack'/);
    });

    it("gives the engine a private temporary directory and removes it with what plugins left there", async () => {
        const dir = tempDir("fake-pulumi");
        const record = path.join(dir, "tmpdirs");
        // Like the Kubernetes provider: every run writes a kubeconfig file into $TMPDIR and leaves it.
        fs.writeFileSync(
            path.join(dir, "pulumi"),
            `#!/bin/sh\nif [ "$1" = version ]; then echo v3.248.0; exit 0; fi\necho "$TMPDIR" >> ${record}\necho secret > "$TMPDIR/kubeconfig123"\n`,
            { mode: 0o755 },
        );
        const logs: string[] = [];
        const code = await run(["preview", "smoke-e2e"], {
            out: () => {},
            log: (l) => logs.push(l),
            env: { ...process.env, ...withoutToolchain(), PATH: `${dir}:${process.env.PATH}` },
        });
        assert.equal(code, 0);
        assert.match(logs.join("\n"), /using v3\.248\.0 from PATH/);
        const used = fs.readFileSync(record, "utf8").trim().split("\n");
        assert.equal(used.length, 2, "stack select and preview");
        assert.equal(new Set(used).size, 1);
        assert.notEqual(used[0], process.env.TMPDIR);
        assert.equal(fs.existsSync(used[0]), false, "removed after the command, with the provider's kubeconfig file");
    });

    it("records an up's event log, which the CLI accepts only with debug commands on, as the real one does", async () => {
        const dir = tempDir("fake-pulumi-up");
        const record = path.join(dir, "argv");
        fs.writeFileSync(
            path.join(dir, "pulumi"),
            [
                "#!/bin/sh",
                'if [ "$1" = version ]; then echo v3.248.0; exit 0; fi',
                `echo "$*" >> ${record}`,
                // Pulumi 3.248 registers --event-log only when PULUMI_DEBUG_COMMANDS is true.
                'case "$*" in *--event-log*) [ "$PULUMI_DEBUG_COMMANDS" = true ] || { echo "error: unknown flag: --event-log" >&2; exit 1; };; esac',
            ].join("\n"),
            { mode: 0o755 },
        );
        const code = await run(["up", "smoke-e2e", "--yes"], {
            out: () => {},
            log: () => {},
            env: { ...process.env, ...withoutToolchain(), PATH: `${dir}:${process.env.PATH}` },
        });
        assert.equal(code, 0);
        const [select, up] = fs.readFileSync(record, "utf8").trim().split("\n");
        assert.doesNotMatch(select, /--event-log/);
        assert.match(up, /^up --stack smoke-e2e --yes --event-log \S+events\.jsonl$/);
    });
});
