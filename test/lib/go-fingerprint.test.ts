/**
 * Go-aware image identity on a small Go monorepo (test/fixtures/go-monorepo: two mains sharing a package, an embedded
 * file, a build-tagged file, a cgo file, a final stage copying a config file): each edit changes exactly the tags of
 * the images that can see it, with real `go list`.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeEach, describe, it } from "node:test";
import { BuildContext, fingerprintBuild } from "../../lib/fingerprint.js";
import { dockerfileContextInputs } from "../../lib/fingerprint/go-inputs.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { tempDir } from "../support/steps.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "go-monorepo");

describe("Go-aware image identity", () => {
    let repo: string;
    let cache: string;
    beforeEach(() => {
        repo = tempDir("go-mono");
        cache = tempDir("go-mono-cache");
        fs.cpSync(FIXTURE, repo, { recursive: true });
    });

    /** Each image's fingerprint over a fresh context (as a new program run sees it). */
    function tags(buildArgs: Record<string, string> = {}) {
        const context = new BuildContext(repo, cache);
        const image = (dockerfile: string, packages: string[]) =>
            fingerprintBuild({
                context,
                dockerfile: path.join(repo, "docker", dockerfile),
                buildArgs,
                go: { packages },
            });
        return { sp: image("sp.Dockerfile", ["./cmd/sp"]), ds: image("ds.Dockerfile", ["./cmd/ds"]) };
    }
    const edit = (rel: string, text = "// edited\n") => fs.appendFileSync(path.join(repo, rel), text);

    it("follows the packages each main imports, not the whole context", () => {
        const { sp, ds } = tags();
        assert.equal(sp.identity, "go");
        assert.equal(ds.identity, "go");
        assert.ok(sp.inputs < sp.files, `${sp.inputs} of ${sp.files} files`);
    });

    it("changes only SignalProcessing's tag for a package only it imports", () => {
        const before = tags();
        edit("internal/sp/sp.go");
        const after = tags();
        assert.notEqual(after.sp.fingerprint, before.sp.fingerprint);
        assert.equal(after.ds.fingerprint, before.ds.fingerprint);
    });

    it("changes both for a shared package and for go.sum; neither for docs", () => {
        const before = tags();
        edit("docs/README.md", "more notes\n");
        assert.deepEqual(
            [tags().sp.fingerprint, tags().ds.fingerprint],
            [before.sp.fingerprint, before.ds.fingerprint],
        );
        edit("internal/shared/shared.go");
        const shared = tags();
        assert.notEqual(shared.sp.fingerprint, before.sp.fingerprint);
        assert.notEqual(shared.ds.fingerprint, before.ds.fingerprint);
        edit("go.sum", "example.org/x v1.0.0 h1:abc=\n");
        const sum = tags();
        assert.notEqual(sum.sp.fingerprint, shared.sp.fingerprint);
        assert.notEqual(sum.ds.fingerprint, shared.ds.fingerprint);
    });

    it("counts embedded files, the final stage's copies and the build's GOOS, and cgo files only in a cgo build", () => {
        const before = tags();
        edit("internal/ds/templates/query.tmpl", "SELECT 2;\n");
        const embedded = tags();
        assert.notEqual(embedded.ds.fingerprint, before.ds.fingerprint, "an embedded file is in the binary");
        assert.equal(embedded.sp.fingerprint, before.sp.fingerprint);
        edit("config/sp.yaml", "threshold: 4\n");
        const config = tags();
        assert.notEqual(config.sp.fingerprint, embedded.sp.fingerprint, "the final stage copies it");
        assert.equal(config.ds.fingerprint, embedded.ds.fingerprint);
        edit("internal/shared/suffix_darwin.go");
        assert.deepEqual(
            [tags().sp.fingerprint, tags().ds.fingerprint],
            [config.sp.fingerprint, config.ds.fingerprint],
            "not built for linux",
        );
        const cgoBefore = tags({ CGO_ENABLED: "1" }).ds.fingerprint;
        edit("internal/native/native_cgo.go");
        assert.equal(tags().ds.fingerprint, config.ds.fingerprint, "a cgo-only file does not count with cgo off");
        assert.notEqual(tags({ CGO_ENABLED: "1" }).ds.fingerprint, cgoBefore, "and counts with cgo on");
    });

    it("falls back to the whole context, saying why, when the Dockerfile or go cannot be followed", () => {
        const context = new BuildContext(repo, cache);
        const unfollowable = fingerprintBuild({
            context,
            dockerfile: path.join(repo, "docker", "make.Dockerfile"),
            go: { packages: ["./cmd/sp"] },
        });
        assert.equal(unfollowable.identity, "context");
        assert.match(unfollowable.fallback ?? "", /`make` may read any file of the context/);
        assert.match(JSON.stringify(dockerfileContextInputs("FROM a\nCOPY . /app\n")), /the final stage copies `\.`/);
        const saved = process.env.KUBERNAUT_E2E_GO;
        process.env.KUBERNAUT_E2E_GO = path.join(repo, "no-such-go");
        try {
            fs.appendFileSync(path.join(repo, "internal", "sp", "sp.go"), "// a new graph key\n");
            const noGo = fingerprintBuild({
                context: new BuildContext(repo, cache),
                dockerfile: path.join(repo, "docker", "sp.Dockerfile"),
                go: { packages: ["./cmd/sp"] },
            });
            assert.equal(noGo.identity, "context");
            assert.match(noGo.fallback ?? "", /`go` cannot run/);
        } finally {
            if (saved === undefined) delete process.env.KUBERNAUT_E2E_GO;
            else process.env.KUBERNAUT_E2E_GO = saved;
        }
    });

    it("asks go list again only when what it reads changed", () => {
        const counter = path.join(repo, "..", `${path.basename(repo)}-go-calls`);
        const wrapper = path.join(tempDir("go-wrapper"), "go");
        fs.writeFileSync(wrapper, `#!/bin/sh\necho x >> ${counter}\nexec go "$@"\n`, { mode: 0o755 });
        const saved = process.env.KUBERNAUT_E2E_GO;
        process.env.KUBERNAUT_E2E_GO = wrapper;
        const calls = () =>
            fs.existsSync(counter) ? fs.readFileSync(counter, "utf8").split("\n").filter(Boolean).length : 0;
        try {
            tags();
            assert.equal(calls(), 2, "once per image");
            tags();
            edit("docs/README.md", "a content edit outside Go\n");
            tags();
            assert.equal(calls(), 2, "nothing go list reads changed");
            edit("internal/sp/sp.go");
            tags();
            assert.equal(calls(), 4);
        } finally {
            if (saved === undefined) delete process.env.KUBERNAUT_E2E_GO;
            else process.env.KUBERNAUT_E2E_GO = saved;
        }
    });
});
