/**
 * Stage 1 of the offline toolchain, for real: the CLI and its plugins, and real previews of the project's stacks
 * (the policy pack loaded), with no network.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { PINS } from "../../lib/toolchain/pins.js";
import { changed, ProjectCopy, requireToolchain, stepsOf, uniqueName, type Toolchain } from "./support/harness.js";

describe("the offline engine", () => {
    let toolchain: Toolchain;
    let project: ProjectCopy;
    before(async () => {
        toolchain = await requireToolchain();
        project = await ProjectCopy.create(toolchain);
    });
    after(() => project?.remove());

    it("is the pinned CLI, with the pinned Kubernetes provider installed", async () => {
        assert.equal((await project.pulumi(["version"])).stdout.trim(), `v${PINS.pulumi.version}`);
        const plugins = (await project.pulumi(["plugin", "ls", "--json"])).stdout;
        const list = JSON.parse(plugins) as Array<{ name: string; kind: string; version: string }>;
        assert.ok(
            list.some(
                (p) =>
                    p.name === "kubernetes" && p.kind === "resource" && p.version === PINS.providers.kubernetes.version,
            ),
            plugins,
        );
    });

    it("previews smoke-e2e: every build, the cluster, every load and object to create, and the policy pack passes", async () => {
        const stack = "smoke-e2e";
        await project.initStack(stack, {
            clusterName: uniqueName("ke2e-preview"),
            nodeImage: toolchain.nodeImage,
            engine: "podman",
        });
        const preview = await project.pulumi(["preview", "--json", "--policy-pack", "policy"], { stack });
        const ops = changed(stepsOf(preview.stdout));
        for (const name of [
            "api-build",
            "worker-build",
            "cluster-create",
            "api-load",
            "worker-load",
            "api-workload-deployment",
            "api-workload-service",
        ]) {
            assert.ok(ops.includes(`create ${name}`), `${name} is created: ${ops.join(", ")}`);
        }
        assert.ok(!ops.some((o) => !o.startsWith("create")), "nothing but creations from nothing");
        // The JSON preview says nothing of policies: the pack's verdict is in the plain one.
        const checked = await project.pulumi(["preview", "--policy-pack", "policy"], { stack });
        assert.match(checked.stdout, /Policies:\s*\n\s*✅ kubernaut-e2e@v[\d.]+ \(local: policy\)/, checked.stdout);
    });

    it("stops a preview at a mandatory policy's violation, naming the rule", async () => {
        // In the copy: the smoke api's Dockerfile upgrades its packages, and that rule is made mandatory.
        const dockerfile = path.join(project.dir, "manifests", "smoke", "api", "Dockerfile");
        fs.appendFileSync(dockerfile, "RUN apk upgrade\n");
        const levels = path.join(project.dir, "policy", "enforcement.yaml");
        fs.writeFileSync(
            levels,
            fs.readFileSync(levels, "utf8").replace("dockerfile-errors: advisory", "dockerfile-errors: mandatory"),
        );
        const preview = await project.pulumi(["preview", "--policy-pack", "policy"], {
            stack: "smoke-e2e",
            reject: false,
        });
        assert.notEqual(preview.exitCode, 0, preview.stdout);
        assert.match(preview.stdout, /❌ kubernaut-e2e@v[\d.]+/, preview.stdout);
        assert.match(preview.stdout, /\[mandatory\]\s+dockerfile-errors/, preview.stdout);
    });

    it("previews signalprocessing-e2e against a Kubernaut-shaped checkout", async () => {
        const stack = "signalprocessing-e2e";
        await project.initStack(stack, {
            clusterName: uniqueName("ke2e-preview-sp"),
            nodeImage: toolchain.nodeImage,
            engine: "podman",
            kubernautRoot: path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut"),
        });
        const preview = await project.pulumi(["preview", "--json"], { stack });
        const ops = changed(stepsOf(preview.stdout));
        assert.equal(ops.filter((o) => /^create crds-/.test(o)).length, 11, "the 11 CRDs");
        for (const name of [
            "signalprocessing-build",
            "cluster-create",
            "migrations-job",
            "datastorage-deployment",
            "action-types-status",
        ]) {
            assert.ok(ops.includes(`create ${name}`), `${name}: ${ops.join(", ")}`);
        }
    });
});
