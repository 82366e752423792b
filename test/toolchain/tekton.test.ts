/** Tekton's release manifest as the toolchain makes it from the module's `config/`, without building anything. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { manifestImages } from "../../stacks/services/workflow-engines.js";
import { renderTektonRelease, TEKTON_SHELL_IMAGE, tektonImageName, walkOrder } from "../../toolchain/actions/tekton.js";
import { tempDir } from "../support/steps.js";

const CONTROLLER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tekton-pipelines-controller
  labels:
    app.kubernetes.io/version: "devel"
    pipeline.tekton.dev/release: "devel"
    version: "devel"
spec:
  template:
    spec:
      containers:
        - name: tekton-pipelines-controller
          image: ko://github.com/tektoncd/pipeline/cmd/controller
          args: [
            "-entrypoint-image", "ko://github.com/tektoncd/pipeline/cmd/entrypoint",
            "-nop-image", "ko://github.com/tektoncd/pipeline/cmd/nop",
            "-shell-image", "cgr.dev/chainguard/busybox@sha256:19f0",
            "-shell-image-win", "mcr.microsoft.com/powershell:nanoserver@sha256:b6d5",
          ]
`;

describe("Tekton's release manifest from its config/", () => {
    it("reads config/'s YAML in Go's walk order: lexical, each directory where it sorts", () => {
        const dir = tempDir("tekton-config");
        for (const f of ["b.yaml", "a/z.yaml", "a/b/c.yaml", "300-crds/x.yaml", "README.md", "c.yml"]) {
            fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
            fs.writeFileSync(path.join(dir, f), "");
        }
        assert.deepEqual(walkOrder(dir), ["300-crds/x.yaml", "a/b/c.yaml", "a/z.yaml", "b.yaml", "c.yml"]);
    });

    it("replaces each ko:// reference and the shell image with the toolchain's, and devel with the version", () => {
        const text = renderTektonRelease(
            ["kind: Namespace\nmetadata: {name: tekton-pipelines}\n", CONTROLLER],
            "v1.7.0",
        );
        const docs = parseAllDocuments(text).map((d) => d.toJSON() as Record<string, unknown>);
        assert.equal(docs.length, 2);
        assert.ok(!text.includes("ko://") && !text.includes('"devel"'), text);
        assert.deepEqual((docs[1].metadata as { labels: Record<string, string> }).labels, {
            "app.kubernetes.io/version": "v1.7.0",
            "pipeline.tekton.dev/release": "v1.7.0",
            version: "v1.7.0",
        });
        assert.deepEqual(
            manifestImages(docs),
            [
                TEKTON_SHELL_IMAGE,
                tektonImageName("controller"),
                tektonImageName("entrypoint"),
                tektonImageName("nop"),
            ].sort(),
        );
        assert.ok(
            text.includes("mcr.microsoft.com/powershell"),
            "the Windows shell stays: it is never pulled on Linux",
        );
    });
});
