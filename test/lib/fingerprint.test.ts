import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import fsModule from "node:fs";
import * as fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DockerIgnore } from "../../lib/dockerignore.js";
import { BuildContext, fingerprintBuild, type FingerprintArgs } from "../../lib/fingerprint.js";
import { sha256Hex } from "../../lib/sha256.js";
import { tempDir, writeTree } from "../support/steps.js";

function tree(files: Record<string, string>): string {
    const dir = tempDir("fp");
    writeTree(dir, { Dockerfile: "FROM scratch\n", ...files });
    return dir;
}

function fp(dir: string, extra: Partial<FingerprintArgs> = {}) {
    return fingerprintBuild({ context: dir, dockerfile: path.join(dir, "Dockerfile"), cacheDir: false, ...extra });
}

/** Ages every file so the stat cache may keep it (files changed in the last 2 s are never cached). */
function age(dir: string): void {
    const past = new Date(Date.now() - 60_000);
    for (const entry of fs.readdirSync(dir, { recursive: true }) as string[])
        fs.utimesSync(path.join(dir, entry), past, past);
}

describe("fingerprintBuild", () => {
    it("is stable for an unchanged tree", () => {
        const dir = tree({ "a.go": "package a\n", "sub/b.go": "package b\n" });
        assert.equal(fp(dir).fingerprint, fp(dir).fingerprint);
    });

    it("changes when a kept file's content, name or mode changes", () => {
        const dir = tree({ "a.go": "package a\n" });
        const before = fp(dir).fingerprint;
        fs.writeFileSync(path.join(dir, "a.go"), "package a // edited\n");
        const edited = fp(dir).fingerprint;
        assert.notEqual(edited, before);
        fs.chmodSync(path.join(dir, "a.go"), 0o755);
        const chmodded = fp(dir).fingerprint;
        assert.notEqual(chmodded, edited);
        fs.renameSync(path.join(dir, "a.go"), path.join(dir, "b.go"));
        assert.notEqual(fp(dir).fingerprint, chmodded);
    });

    it("ignores what .dockerignore excludes, and counts git-ignored files as Docker does", () => {
        const dir = tree({
            ".dockerignore": ".git\n*.md\n",
            "a.go": "a\n",
            "README.md": "x\n",
            ".git/HEAD": "ref\n",
            ".gitignore": "secret.txt\n",
        });
        const before = fp(dir);
        fs.writeFileSync(path.join(dir, "README.md"), "changed\n");
        fs.writeFileSync(path.join(dir, ".git", "HEAD"), "changed\n");
        assert.equal(fp(dir).fingerprint, before.fingerprint);
        fs.writeFileSync(path.join(dir, "secret.txt"), "git ignores me, Docker does not\n");
        assert.notEqual(fp(dir).fingerprint, before.fingerprint);
    });

    it("keeps files re-included by a `!` pattern inside an excluded directory", () => {
        const dir = tree({ ".dockerignore": "bin/\n!bin/*-amd64\n", "bin/tool-amd64": "1\n", "bin/tool-arm64": "2\n" });
        const before = fp(dir);
        assert.equal(before.files, 3, "Dockerfile, .dockerignore and bin/tool-amd64");
        fs.writeFileSync(path.join(dir, "bin", "tool-arm64"), "changed\n");
        assert.equal(fp(dir).fingerprint, before.fingerprint);
        fs.writeFileSync(path.join(dir, "bin", "tool-amd64"), "changed\n");
        assert.notEqual(fp(dir).fingerprint, before.fingerprint);
    });

    it("does not read an excluded directory that no `!` pattern can reach", () => {
        const dir = tree({
            ".dockerignore": ".git\nbin/\n!bin/keep\n",
            ".git/objects/x": "1\n",
            "bin/keep": "k\n",
            "src/a.go": "a\n",
        });
        const listed: string[] = [];
        const original = fsModule.readdirSync;
        fsModule.readdirSync = ((p: fs.PathLike, ...rest: unknown[]) => {
            listed.push(path.relative(dir, String(p)));
            return (original as (...a: unknown[]) => unknown)(p, ...rest);
        }) as typeof fsModule.readdirSync;
        syncBuiltinESMExports();
        try {
            fp(dir);
        } finally {
            fsModule.readdirSync = original;
            syncBuiltinESMExports();
        }
        assert.ok(!listed.includes(".git"), `.git was listed: ${listed.join(", ")}`);
        assert.ok(listed.includes("bin"), "bin may hold re-included files, so it is walked");
    });

    it("covers the Dockerfile, target and build args", () => {
        const dir = tree({ "a.go": "a\n" });
        const base = fp(dir).fingerprint;
        assert.notEqual(fp(dir, { target: "development" }).fingerprint, base);
        assert.notEqual(fp(dir, { buildArgs: { GOFLAGS: "-cover" } }).fingerprint, base);
        assert.equal(
            fp(dir, { buildArgs: { A: "1", B: "2" } }).fingerprint,
            fp(dir, { buildArgs: { B: "2", A: "1" } }).fingerprint,
        );
        fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY . .\n");
        assert.notEqual(fp(dir).fingerprint, base);
    });

    it("prefers <Dockerfile>.dockerignore over the context's .dockerignore, as BuildKit does", () => {
        const dir = tree({
            ".dockerignore": "",
            "docker/app.Dockerfile": "FROM scratch\n",
            "docker/app.Dockerfile.dockerignore": "*.txt\n",
            "x.txt": "1\n",
        });
        const dockerfile = path.join(dir, "docker", "app.Dockerfile");
        const before = fp(dir, { dockerfile });
        fs.writeFileSync(path.join(dir, "x.txt"), "2\n");
        assert.equal(fp(dir, { dockerfile }).fingerprint, before.fingerprint);
    });

    it("hashes only changed files when the stat cache is warm", () => {
        const dir = tree({ "a.go": "a\n", "b.go": "b\n", "c.go": "c\n" });
        age(dir);
        const cacheDir = tempDir("fpcache");
        const cold = fp(dir, { cacheDir });
        assert.equal(cold.hashedFiles, 4);
        const warm = fp(dir, { cacheDir });
        assert.equal(warm.hashedFiles, 0);
        assert.equal(warm.fingerprint, cold.fingerprint);
        fs.writeFileSync(path.join(dir, "b.go"), "B\n"); // same size, new mtime
        const after = fp(dir, { cacheDir });
        assert.equal(after.hashedFiles, 1);
        assert.notEqual(after.fingerprint, cold.fingerprint);
    });

    it("never trusts the cache for a file modified within the last two seconds", () => {
        const dir = tree({ "a.go": "a\n" });
        const cacheDir = tempDir("fpcache");
        fp(dir, { cacheDir });
        assert.equal(fp(dir, { cacheDir }).hashedFiles, 2, "fresh files are re-hashed every time");
    });
});

describe("DockerIgnore.mayReinclude", () => {
    const ignore = new DockerIgnore("bin\n!bin/*-amd64\n!docs/**/keep.md\n!**/vendor/keep\n", undefined);

    it("answers true for directories a negation can reach", () => {
        assert.equal(ignore.mayReinclude("bin"), true);
        assert.equal(ignore.mayReinclude("docs/a/b"), true);
        assert.equal(ignore.mayReinclude("anything/deep"), true, "`**` can reach anywhere");
    });

    it("answers false when no negation can match inside", () => {
        const plain = new DockerIgnore(".git\nbin\n!bin/*-amd64\n", undefined);
        assert.equal(plain.mayReinclude(".git"), false);
        assert.equal(plain.mayReinclude("bin"), true);
        assert.equal(plain.mayReinclude("build"), false);
    });
});

describe("fingerprint caches and hashing", () => {
    it("notices a file added to a directory whose listing is cached", () => {
        const dir = tree({ "pkg/a.go": "a\n" });
        age(dir);
        fs.utimesSync(dir, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
        const cacheDir = tempDir("fpcache");
        const before = fp(dir, { cacheDir });
        assert.equal(fp(dir, { cacheDir }).hashedFiles, 0);
        fs.writeFileSync(path.join(dir, "pkg", "b.go"), "b\n");
        const after = fp(dir, { cacheDir });
        assert.equal(after.files, before.files + 1);
        assert.notEqual(after.fingerprint, before.fingerprint);
    });

    it("re-applies the ignore rules when .dockerignore changes, keeping file hashes", () => {
        const dir = tree({ ".dockerignore": "", "a.go": "a\n", "b.txt": "b\n" });
        age(dir);
        const cacheDir = tempDir("fpcache");
        const all = fp(dir, { cacheDir });
        fs.writeFileSync(path.join(dir, ".dockerignore"), "*.txt\n");
        const fewer = fp(dir, { cacheDir });
        assert.equal(fewer.files, all.files - 1);
        assert.equal(fewer.fingerprint, fp(dir).fingerprint, "the same result as without any cache");
    });

    it("follows the documented digest layout, for large files too", () => {
        const big = Buffer.alloc(3 << 20, 7);
        const dir = tree({});
        for (let i = 0; i < 4; i++)
            fs.writeFileSync(path.join(dir, `blob${i}`), Buffer.concat([big, Buffer.from(String(i))]));
        const pooled = fp(dir);
        const expected = ["Dockerfile", "blob0", "blob1", "blob2", "blob3"].map((f) =>
            sha256Hex(fs.readFileSync(path.join(dir, f))),
        );
        const lines = ["Dockerfile", "blob0", "blob1", "blob2", "blob3"].map(
            (f, i) => `${f}\0${(fs.lstatSync(path.join(dir, f)).mode & 0o170777).toString(8)}\0${expected[i]}\n`,
        );
        assert.equal(pooled.files, 5);
        // Recompute the documented digest layout by hand: any hashing mistake on the worker changes the result.
        const digest = crypto.createHash("sha256");
        digest.update("kubernaut-e2e/fingerprint/v2\n");
        digest.update(`dockerfile\0${expected[0]}\n`);
        digest.update("target\0\n");
        digest.update(`context\0${sha256Hex(lines.join(""))}\n`);
        assert.equal(pooled.fingerprint, digest.digest("hex"));
    });
});

describe("BuildContext", () => {
    it("digests a shared context once for several images, with the same fingerprints as separate contexts", () => {
        const dir = tree({
            "a.go": "a\n",
            "docker/x.Dockerfile": "FROM scratch\n",
            "docker/y.Dockerfile": "FROM scratch\nCOPY . .\n",
        });
        const listed: string[] = [];
        const original = fsModule.readdirSync;
        fsModule.readdirSync = ((p: fs.PathLike, ...rest: unknown[]) => {
            listed.push(String(p));
            return (original as (...a: unknown[]) => unknown)(p, ...rest);
        }) as typeof fsModule.readdirSync;
        syncBuiltinESMExports();
        let shared: string[];
        try {
            const context = new BuildContext(dir, false);
            shared = ["x", "y"].map(
                (n) =>
                    fingerprintBuild({ context, dockerfile: path.join(dir, "docker", `${n}.Dockerfile`) }).fingerprint,
            );
        } finally {
            fsModule.readdirSync = original;
            syncBuiltinESMExports();
        }
        assert.equal(listed.filter((p) => p === dir).length, 1, "the root is listed once for both images");
        assert.deepEqual(
            shared,
            ["x", "y"].map((n) => fp(dir, { dockerfile: path.join(dir, "docker", `${n}.Dockerfile`) }).fingerprint),
        );
        assert.notEqual(shared[0], shared[1], "each image's own Dockerfile still counts");
    });
});
