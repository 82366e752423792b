import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { findDockerfiles, lintDockerfile } from "../../tools/dockerfile-lint.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { tempDir } from "../support/steps.js";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "dockerfiles");

function lint(text: string) {
    return lintDockerfile("Dockerfile", text).map((f) => `${f.line} ${f.rule}`);
}

describe("the project's own Dockerfiles", () => {
    it("pass the lint it applies to Kubernaut's: no errors in toolchain/ubi", () => {
        const files = findDockerfiles([path.join(PROJECT_ROOT, "toolchain", "ubi")]);
        assert.ok(files.length >= 1);
        const errors = files
            .flatMap((f) => lintDockerfile(f, fs.readFileSync(f, "utf8")))
            .filter((f) => f.severity === "error");
        assert.deepEqual(
            errors.map((e) => `${e.file}:${e.line} ${e.rule}`),
            [],
        );
    });
});

describe("Dockerfile lint rules", () => {
    it("no-package-upgrade: fails on whole-system upgrades in any stage, passes named installs", () => {
        assert.deepEqual(
            lint("FROM a:1\nRUN dnf update -y\nFROM b:1 AS x\nRUN microdnf -y upgrade && microdnf clean all\n"),
            ["2 no-package-upgrade", "4 no-package-upgrade"],
        );
        assert.deepEqual(
            lint(
                "FROM a:1\nRUN apt-get update && apt-get install -y curl\nRUN apk add --no-cache curl\nRUN dnf install -y git\n",
            ),
            [],
            "apt-get update only refreshes the index",
        );
        assert.deepEqual(lint("FROM a:1\nRUN apt-get upgrade -y\nRUN yum update\nRUN apk upgrade\n"), [
            "2 no-package-upgrade",
            "3 no-package-upgrade",
            "4 no-package-upgrade",
        ]);
    });

    it("no-remote-add: fails on ADD of a URL or git source, passes local files and checksummed URLs", () => {
        assert.deepEqual(lint("FROM a:1\nADD https://example.com/x.tgz /x\nADD git@github.com:o/r.git /src\n"), [
            "2 no-remote-add",
            "3 no-remote-add",
        ]);
        assert.deepEqual(
            lint("FROM a:1\nADD local.tgz /x\nADD --checksum=sha256:00 https://example.com/x.tgz /x\n"),
            [],
        );
    });

    it("pinned-base-image: warns on :latest and untagged bases without a digest, not on stages or scratch", () => {
        assert.deepEqual(
            lint("FROM ubi:latest\nFROM ubi\nFROM ubi:10\nFROM ubi@sha256:" + "a".repeat(64) + "\nFROM scratch\n"),
            ["1 pinned-base-image", "2 pinned-base-image"],
        );
        assert.deepEqual(lint("FROM golang:1.26 AS build\nFROM build\n"), []);
        const [finding] = lintDockerfile("Dockerfile", "FROM ubi:latest\n");
        assert.equal(finding.severity, "warning");
    });

    it("go-mod-download-layer: warns when a Go build stage copies everything before `go mod download`, with the fix", () => {
        const [finding] = lintDockerfile(
            "Dockerfile",
            "FROM golang:1.26\nCOPY go.mod go.sum ./\nCOPY . .\nRUN go build ./...\n",
        );
        assert.equal(finding.rule, "go-mod-download-layer");
        assert.equal(finding.line, 3);
        assert.match(finding.message, /first `COPY go\.mod go\.sum \.\/` and `RUN go mod download`, then `COPY \. \.`/);
        assert.deepEqual(
            lint("FROM golang:1.26\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build ./...\n"),
            [],
        );
        assert.deepEqual(lint("FROM node:20\nCOPY . .\nRUN npm ci\n"), [], "not a Go build stage");
    });

    it("go-mod-download-layer: sees the build behind assignments, `if`/`then`, `&&`, `env` and `sh -c` (Kubernaut's shape)", () => {
        // Kubernaut's service Dockerfiles: go.mod copied, no download, then the whole context, then a build inside an
        // `if`.
        const kubernaut = [
            "FROM registry.access.redhat.com/ubi10/go-toolset:1.26 AS builder",
            'ARG GOFLAGS=""',
            "COPY --chown=1001:0 go.mod go.sum ./",
            "COPY --chown=1001:0 . .",
            'RUN if [ "${GOFLAGS}" = "-cover" ]; then \\',
            '\techo "coverage build"; \\',
            "\tCGO_ENABLED=0 GOOS=${GOOS} GOARCH=${GOARCH} GOFLAGS=${GOFLAGS} go build \\",
            "\t-mod=mod -o data-storage ./cmd/datastorage/main.go; \\",
            "\telse \\",
            "\tCGO_ENABLED=0 go build -mod=mod -o data-storage ./cmd/datastorage/main.go; \\",
            "\tfi",
            "",
        ].join("\n");
        assert.deepEqual(lint(kubernaut), ["4 go-mod-download-layer"]);
        for (const build of [
            "cd src && CGO_ENABLED=0 go build ./...",
            "env -i GOOS=linux /usr/local/go/bin/go build ./...",
            "sh -c 'go mod tidy && go build ./...'",
            "true || go install ./cmd/x",
        ]) {
            assert.deepEqual(lint(`FROM golang:1.26\nCOPY . .\nRUN ${build}\n`), ["2 go-mod-download-layer"], build);
        }
        assert.deepEqual(
            lint(
                "FROM golang:1.26\nCOPY go.mod go.sum ./\nRUN GOFLAGS=-mod=mod go mod download\nCOPY . .\nRUN if true; then go build ./...; fi\n",
            ),
            [],
            "the download behind an assignment counts too",
        );
        assert.deepEqual(
            lint("FROM a:1\nRUN sh -c 'microdnf update -y'\nRUN bash -c \"echo go build\"\n"),
            ["2 no-package-upgrade"],
            "sh -c scripts are read; words passed to echo are not commands",
        );
    });

    it("parses continuations, heredocs, exec form, ARG-substituted FROM and comments", () => {
        const findings = lintDockerfile(
            "tricky",
            fs.readFileSync(path.join(FIXTURES, "tricky.Dockerfile"), "utf8"),
        ).map((f) => `${f.line} ${f.rule}`);
        assert.deepEqual(findings, [
            "8 no-package-upgrade", // RUN ["apk", "upgrade"]
            "12 no-package-upgrade", // inside the heredoc, on its own line
            "14 no-package-upgrade", // exec form running sh -c
            "15 no-package-upgrade", // after `;`, behind sudo and an env assignment on the first command
            "16 pinned-base-image",
        ]);
    });

    it("finds Dockerfile, *.Dockerfile and Dockerfile.* below a directory", () => {
        const dir = tempDir("dockerfiles");
        for (const f of ["Dockerfile", "a.Dockerfile", "Dockerfile.dev", "Dockerfile.dockerignore", "notes.md"])
            fs.writeFileSync(path.join(dir, f), "FROM a:1\n");
        fs.mkdirSync(path.join(dir, "node_modules"));
        fs.writeFileSync(path.join(dir, "node_modules", "Dockerfile"), "FROM a:1\n");
        assert.deepEqual(
            findDockerfiles([dir]).map((f) => path.basename(f)),
            ["Dockerfile", "Dockerfile.dev", "a.Dockerfile"],
        );
    });
});

describe("lint:dockerfiles command", () => {
    const cli = (args: string[]) =>
        execa("node", [path.join(PROJECT_ROOT, "bin", "cli", "lint-dockerfiles.js"), ...args], { reject: false });

    it("prints file:line severity rule message, a summary, and exits 1 when any error is found", async () => {
        const run = await cli([path.join(FIXTURES, "every-rule.Dockerfile")]);
        assert.equal(run.exitCode, 1);
        const lines = String(run.stdout).split("\n");
        assert.deepEqual(
            lines.slice(0, -1).map((l) => l.split(" ").slice(0, 3).join(" ").replace(/^.*\//, "")),
            [
                "every-rule.Dockerfile:2 warning pinned-base-image",
                "every-rule.Dockerfile:3 error no-package-upgrade",
                "every-rule.Dockerfile:4 warning go-mod-download-layer",
                "every-rule.Dockerfile:6 warning pinned-base-image",
                "every-rule.Dockerfile:7 error no-remote-add",
            ],
        );
        assert.equal(lines[lines.length - 1], "1 Dockerfile: 2 errors, 3 warnings");
    });

    it("exits 0 on warnings only, and prints JSON with --json", async () => {
        const dir = tempDir("warn");
        fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM ubi:latest\n");
        const run = await cli([dir, "--json"]);
        assert.equal(run.exitCode, 0);
        assert.deepEqual(JSON.parse(String(run.stdout)), {
            findings: [
                {
                    file: path.join(dir, "Dockerfile"),
                    line: 1,
                    rule: "pinned-base-image",
                    severity: "warning",
                    message: JSON.parse(String(run.stdout)).findings[0].message,
                },
            ],
        });
        assert.equal((await cli([path.join(FIXTURES, "clean.Dockerfile")])).exitCode, 0);
    });

    it("fails with usage errors on a missing path", async () => {
        const run = await cli(["/nonexistent/Dockerfile"]);
        assert.equal(run.exitCode, 2);
        assert.match(String(run.stderr), /`\/nonexistent\/Dockerfile` does not exist/);
    });
});
