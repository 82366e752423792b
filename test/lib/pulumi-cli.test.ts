/**
 * Which Pulumi CLI the project's commands run: the offline toolchain's when it is built, else one on the user's PATH
 * outside any `node_modules/.bin` (where `npm run` puts the npm package's downloader first), else that package.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { resolvePulumiCli } from "../../lib/pulumi-cli.js";
import { isNpmScriptDir, toolchainEnv, withoutNpmDirs } from "../../lib/toolchain/env.js";
import { toolchainLayout } from "../../lib/toolchain/layout.js";
import { tempDir, withoutToolchain } from "../support/steps.js";

/** A fake `pulumi` in `dir` printing `version` (and which PULUMI_HOME it saw), or failing as a downloader offline. */
function fakeCli(dir: string, version: string | undefined): string {
    fs.mkdirSync(dir, { recursive: true });
    const body = version ? `echo "${version} home=$PULUMI_HOME"` : 'echo "fetch failed" >&2; exit 1';
    fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return path.join(dir, "pulumi");
}

/** A project root with the `pulumi` npm package's bin. */
function projectWithNpmCli(version: string | undefined): string {
    const root = tempDir("project");
    fakeCli(path.join(root, "node_modules", ".bin"), version);
    return root;
}

describe("Pulumi CLI resolution", () => {
    it("takes the toolchain's CLI first, with the toolchain's environment, over one on PATH", async () => {
        const toolchainRoot = tempDir("toolchain");
        const env = {
            KUBERNAUT_E2E_TOOLCHAIN_ROOT: toolchainRoot,
            PATH: `${path.dirname(fakeCli(tempDir("user-bin"), "v3.200.0"))}:/usr/bin:/bin`,
        };
        const layout = toolchainLayout(env);
        fakeCli(layout.binDir, "v3.248.0");
        const cli = await resolvePulumiCli(env, projectWithNpmCli("v3.265.0"));
        assert.equal(cli.source, "the offline toolchain");
        assert.equal(cli.bin, path.join(layout.binDir, "pulumi"));
        assert.equal(
            cli.version,
            `v3.248.0 home=${layout.pulumiHome}`,
            "the version check ran with the toolchain's PULUMI_HOME",
        );
        assert.equal(cli.env.PULUMI_HOME, layout.pulumiHome);
        assert.equal(cli.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, "true");
        assert.equal(cli.env.PATH.split(":")[0], layout.binDir);
    });

    it("skips a `pulumi` in node_modules/.bin on PATH (npm run's), and takes the user's CLI after it", async () => {
        const project = projectWithNpmCli(undefined);
        const npmDir = path.join(project, "node_modules", ".bin");
        const user = fakeCli(tempDir("user-bin"), "v3.248.0");
        const env = { ...withoutToolchain(), PATH: `${npmDir}:${path.dirname(user)}:/usr/bin:/bin` };
        const cli = await resolvePulumiCli(env, project);
        assert.equal(cli.source, "PATH");
        assert.equal(cli.bin, user);
        assert.deepEqual(cli.env, {});
    });

    it("falls back to the npm package's CLI, and names every attempt when none runs", async () => {
        const env = { ...withoutToolchain(), PATH: "/usr/bin:/bin" };
        const working = await resolvePulumiCli(env, projectWithNpmCli("v3.265.0"));
        assert.equal(working.source, "the pulumi npm package");
        await assert.rejects(
            () => resolvePulumiCli(env, projectWithNpmCli(undefined)),
            (err: Error) => {
                assert.match(err.message, /no offline toolchain in /);
                assert.match(err.message, /no `pulumi` on PATH \(outside node_modules\/\.bin\)/);
                assert.match(err.message, /the pulumi npm package, which downloads the CLI\): fetch failed/);
                assert.match(err.message, /npm run setup/);
                return true;
            },
        );
    });

    it("says why a built toolchain CLI was passed over", async () => {
        const env = { KUBERNAUT_E2E_TOOLCHAIN_ROOT: tempDir("toolchain"), PATH: "/usr/bin:/bin" };
        fakeCli(toolchainLayout(env).binDir, undefined);
        await assert.rejects(
            () => resolvePulumiCli(env, projectWithNpmCli(undefined)),
            /\(the offline toolchain\): fetch failed/,
        );
    });
});

describe("toolchain environment", () => {
    it("prints a PATH without npm's script directories, the toolchain's bin first, each directory once", () => {
        const layout = toolchainLayout({ KUBERNAUT_E2E_TOOLCHAIN_ROOT: "/t" });
        const inherited = [
            "/work/main/node_modules/.bin",
            "/work/node_modules/.bin",
            "/node_modules/.bin",
            "/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin",
            "/usr/local/bin",
            "/usr/bin",
            "/usr/local/bin",
        ].join(":");
        const env = toolchainEnv(layout, { PATH: inherited });
        assert.equal(env.PATH, `${layout.binDir}:/usr/local/bin:/usr/bin`);
        assert.equal(withoutNpmDirs(""), "");
        assert.equal(isNpmScriptDir("/opt/node_modules/.bin/"), true);
        assert.equal(isNpmScriptDir("/opt/node_modules/bin"), false);
    });
});
