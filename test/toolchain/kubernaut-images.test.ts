/**
 * The stand-ins for Kubernaut's UBI images, in the parts that run without building them: the `dnf`/`microdnf` they
 * carry (installs succeed only for packages whose files are there; update and clean change nothing; anything else
 * fails), and the Go version check against Kubernaut's go.mod.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { goModGoVersion, goVersionAtLeast } from "../../toolchain/actions/kubernaut-images.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { tempDir } from "../support/steps.js";

const DNF = path.join(PROJECT_ROOT, "toolchain", "ubi", "dnf");

function standIn(): (name: string, ...args: string[]) => Promise<{ exitCode: number; out: string }> {
    const dir = tempDir("rpm-stand-ins");
    const present = path.join(dir, "psql");
    fs.writeFileSync(present, "");
    const table = path.join(dir, "table");
    fs.writeFileSync(table, `postgresql ${present}\nshadow-utils ${path.join(dir, "absent-useradd")}\n`);
    fs.copyFileSync(DNF, path.join(dir, "microdnf"));
    fs.chmodSync(path.join(dir, "microdnf"), 0o755);
    return async (name, ...args) => {
        const r = await execa(path.join(dir, name), args, {
            env: { KUBERNAUT_E2E_RPM_STAND_INS: table },
            reject: false,
        });
        return { exitCode: r.exitCode ?? -1, out: `${String(r.stdout)}\n${String(r.stderr)}` };
    };
}

describe("the UBI stand-ins' microdnf", () => {
    it("reports a package whose files are there as installed", async () => {
        const r = await standIn()("microdnf", "install", "-y", "postgresql");
        assert.equal(r.exitCode, 0, r.out);
        assert.match(r.out, /Package postgresql is already installed\./);
    });

    it("fails for a package it does not list, or whose files are missing, naming them", async () => {
        const r = await standIn()("microdnf", "install", "-y", "postgresql", "vim", "shadow-utils");
        assert.equal(r.exitCode, 1);
        assert.match(r.out, /Unable to find a match: vim shadow-utils/);
    });

    it("has nothing to update or clean, and refuses what it cannot do", async () => {
        const run = standIn();
        assert.equal((await run("microdnf", "update", "-y")).exitCode, 0);
        assert.match((await run("microdnf", "update", "-y")).out, /Nothing to do/);
        assert.equal((await run("microdnf", "clean", "all")).exitCode, 0);
        const other = await run("microdnf", "remove", "postgresql");
        assert.equal(other.exitCode, 1);
        assert.match(other.out, /'remove' is not supported here/);
    });
});

describe("the builder image's Go check", () => {
    it("reads the go line of a go.mod", () => {
        assert.equal(goModGoVersion("module x\n\ngo 1.26.6\n\nrequire y v1\n"), "1.26.6");
        assert.equal(goModGoVersion("module x\ngo 1.24\n"), "1.24");
        assert.equal(goModGoVersion("module x\n"), undefined);
    });

    it("compares Go versions by number, not as text", () => {
        assert.equal(goVersionAtLeast("go1.26.8", "1.26.6"), true);
        assert.equal(goVersionAtLeast("go1.26.6", "1.26.6"), true);
        assert.equal(goVersionAtLeast("go1.26.5", "1.26.6"), false);
        assert.equal(goVersionAtLeast("go1.9", "1.26"), false);
        assert.equal(goVersionAtLeast("go1.27", "1.26.6"), true);
    });
});
