/**
 * The offline toolchain's profile as a layer of defaults: its node image, engine and image stand-ins reach a stack
 * without any `pulumi config set`, the stack's config still wins, and `plan` says where each value came from.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { resolveKubernautRoot } from "../../lib/kubernaut-source.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { PROFILE_ENV, readToolchainProfile } from "../../lib/toolchain/profile.js";
import type { Plan } from "../../tools/plan.js";
import { configReport, planStack } from "../../tools/plan-stack.js";
import { flag, step, stepArgs } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");
const ROOT = { "kubernaut-e2e:kubernautRoot": FIXTURE };
const PROFILE = {
    setId: "test",
    writtenAt: "2026-12-07T00:00:00Z",
    engine: "podman",
    nodeImage:
        "localhost/kubernaut-e2e/kind-node:v1.34.4@sha256:1111111111111111111111111111111111111111111111111111111111111111",
    images: {
        busybox: "localhost/kubernaut-e2e/local-path-helper:busybox",
        postgres: "localhost/kubernaut-e2e/postgres:15",
        redis: "localhost/kubernaut-e2e/redis:7",
        goBuilder: "localhost/kubernaut-e2e/go-toolset:1.26",
        ubiBase: "localhost/kubernaut-e2e/ubi-minimal:10",
        prometheus: "localhost/kubernaut-e2e/prometheus:v3.5.0",
        alertManager: "localhost/kubernaut-e2e/alertmanager:v0.28.1",
        dex: "localhost/kubernaut-e2e/dex:v2.41.1",
        mockWebhook: "localhost/kubernaut-e2e/nginx:1.22",
        pause: "localhost/kubernaut-e2e/pause:3.10.1",
        placeholderExecution: "localhost/kubernaut-e2e/placeholder-execution:v1.0.0",
    },
    dockerfiles: {
        "db-migrate": "toolchain/ubi/db-migrate.Dockerfile",
        "mock-llm": "toolchain/ubi/mock-llm.Dockerfile",
    },
    tektonManifest: path.join(PROJECT_ROOT, "test/fixtures/pinned/tekton-release.yaml"),
    cpus: 2,
};

interface PodTemplateOwner {
    template: { spec: { containers: { resources?: { requests?: { cpu?: string } } }[] } };
}

const buildArgs = (plan: Plan, image: string) =>
    stepArgs(step(plan, `${image}-build`)).flatMap((a, i, all) => (all[i - 1] === "--build-arg" ? [a] : []));

describe("the toolchain's profile as defaults", () => {
    const file = path.join(tempDir("profile"), "profile.json");
    let previous: string | undefined;
    before(() => {
        fs.writeFileSync(file, JSON.stringify(PROFILE));
        previous = process.env[PROFILE_ENV];
        process.env[PROFILE_ENV] = file;
    });
    after(() => {
        process.env[PROFILE_ENV] = previous;
    });

    it("gives a lane the toolchain's node image, engine, stand-ins, PostgreSQL, Redis and db-migrate Dockerfile", async () => {
        const plan = await planStack("signalprocessing-e2e", { configOverrides: ROOT });
        const create = step(plan, "cluster-create");
        assert.equal(flag(create, "--engine"), "podman");
        assert.match(
            flag(create, "--config-yaml")!,
            new RegExp(`image: ${PROFILE.nodeImage.replace(/[.@]/g, "\\$&")}`),
        );
        assert.ok(buildArgs(plan, "signalprocessing").includes(`BUILDER_IMAGE=${PROFILE.images.goBuilder}`));
        assert.ok(buildArgs(plan, "datastorage").includes(`BASE_IMAGE=${PROFILE.images.ubiBase}`));
        assert.equal(
            flag(step(plan, "db-migrate-build"), "--dockerfile"),
            path.join(PROJECT_ROOT, PROFILE.dockerfiles["db-migrate"]),
        );
        assert.equal(flag(step(plan, "postgres-pull"), "--image"), PROFILE.images.postgres);
        assert.equal(flag(step(plan, "redis-pull"), "--image"), PROFILE.images.redis);
    });

    it("tags the toolchain's busybox as the one the SP suite's Pods run, and loads it, pulling nothing", async () => {
        const plan = await planStack("signalprocessing-e2e", { configOverrides: ROOT });
        const pull = step(plan, "suite-busybox-pull");
        assert.equal(flag(pull, "--image"), "docker.io/library/busybox:1.36");
        assert.equal(flag(pull, "--stand-in"), PROFILE.images.busybox);
        assert.equal(flag(step(plan, "suite-busybox-load"), "--image"), "docker.io/library/busybox:1.36");
    });

    it("runs the toolchain's Prometheus, AlertManager and the EM suite's target-Pod stand-in", async () => {
        const plan = await planStack("effectivenessmonitor-e2e", { configOverrides: ROOT });
        assert.equal(flag(step(plan, "prometheus-pull"), "--image"), PROFILE.images.prometheus);
        assert.equal(flag(step(plan, "alertmanager-pull"), "--image"), PROFILE.images.alertManager);
        const target = step(plan, "suite-ubi-minimal-pull");
        assert.equal(flag(target, "--image"), "registry.access.redhat.com/ubi9/ubi-minimal:9.5");
        assert.equal(flag(target, "--stand-in"), PROFILE.images.ubiBase);
    });

    it("gives kubernautagent-e2e the toolchain's Dex, the pause image for its fixtures and its mock LLM Dockerfile", async () => {
        const plan = await planStack("kubernautagent-e2e", { configOverrides: ROOT });
        assert.equal(flag(step(plan, "dex-pull"), "--image"), PROFILE.images.dex);
        assert.equal(
            flag(step(plan, "mock-llm-build"), "--dockerfile"),
            path.join(PROJECT_ROOT, PROFILE.dockerfiles["mock-llm"]),
        );
        const fixtures = plan.resources.filter((r) => JSON.stringify(r.inputs).includes("pause:"));
        assert.ok(fixtures.length > 0, "the enrichment fixtures run a pause image");
        for (const r of fixtures) assert.ok(JSON.stringify(r.inputs).includes(PROFILE.images.pause), r.name);
    });

    it("brings workflowexecution-e2e up from the repository's config: the toolchain's Tekton, no AWX, the Job image", async () => {
        const plan = await planStack("workflowexecution-e2e", { configOverrides: ROOT });
        assert.ok(
            plan.resources.some((r) => r.name.includes("tekton-pipelines-controller")),
            "Tekton's controller",
        );
        assert.ok(!plan.resources.some((r) => r.type.includes("Awx")), "no AWX");
        // As `kubectl apply` of the release: Tekton's workloads start only once their configuration exists (its webhook
        // refuses ConfigMaps while it is not serving), whatever the documents' order.
        const tekton = plan.resources.filter((r) => r.name.startsWith("tekton-") && r.custom);
        const controller = tekton.find((r) => r.type === "kubernetes:apps/v1:Deployment");
        const configuration = tekton.filter((r) => /:core\/v1:(ConfigMap|ServiceAccount|Namespace)$/.test(r.type));
        assert.ok(controller && configuration.length === 3, tekton.map((r) => r.type).join(", "));
        assert.deepEqual(
            configuration.filter((c) => !controller.dependencies.includes(c.urn)).map((c) => c.name),
            [],
            "the controller waits for its namespace, ServiceAccount and ConfigMap",
        );
        assert.ok(configuration.every((c) => !c.dependencies.includes(controller.urn)));
        const placeholder = step(plan, "suite-placeholder-execution-pull");
        assert.equal(
            flag(placeholder, "--image"),
            "quay.io/kubernaut-cicd/test-workflows/placeholder-execution:v1.0.0",
        );
        assert.equal(flag(placeholder, "--stand-in"), PROFILE.images.placeholderExecution, "the Job specs' image");
        const sources = Object.fromEntries(configReport("workflowexecution-e2e", ROOT).map((e) => [e.key, e.source]));
        assert.equal(sources.tektonManifest, "toolchain");
        assert.equal(sources.ansibleEngine, "toolchain");
    });

    it("asks for no CPU on a two-core machine, whose node cannot fit Kubernaut's requests and a suite's Pods", async () => {
        const cpu = (plan: Plan) =>
            plan.resources
                .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
                .flatMap((r) => (r.inputs.spec as PodTemplateOwner).template.spec.containers)
                .map((c) => c.resources?.requests?.cpu);
        const small = await planStack("signalprocessing-e2e", { configOverrides: ROOT });
        assert.ok(cpu(small).length > 3 && cpu(small).every((c) => c === undefined || c === "0"), cpu(small).join());
        const kept = await planStack("signalprocessing-e2e", {
            configOverrides: { ...ROOT, "kubernaut-e2e:cpuRequests": "true" },
        });
        assert.ok(
            cpu(kept).some((c) => c !== undefined && c !== "0"),
            "the stack's config wins",
        );
    });

    it("lets the stack's config win over the toolchain, and says where each value came from", async () => {
        const overrides = {
            ...ROOT,
            "kubernaut-e2e:postgresImage": "mirror.example/postgres:16",
            "kubernaut-e2e:engine": "docker",
        };
        const plan = await planStack("signalprocessing-e2e", { configOverrides: overrides });
        assert.equal(flag(step(plan, "postgres-pull"), "--image"), "mirror.example/postgres:16");
        assert.equal(flag(step(plan, "cluster-create"), "--engine"), "docker");
        const sources = Object.fromEntries(
            configReport("signalprocessing-e2e", overrides).map((e) => [e.key, e.source]),
        );
        assert.equal(sources.postgresImage, "stack config");
        assert.equal(sources.engine, "stack config");
        assert.equal(sources.builderImage, "toolchain");
        assert.equal(sources.redisImage, "toolchain");
        assert.equal(sources["dockerfiles.db-migrate"], "toolchain");
        assert.equal(sources.nodeImage, "toolchain");
        assert.equal(sources.clusterWaitSeconds, "built-in default");
        assert.equal(sources.kubernautRoot, "kubernaut-e2e:kubernautRoot");
    });

    it("builds the smoke stack FROM the toolchain's busybox", async () => {
        const plan = await planStack("smoke-e2e");
        assert.ok(buildArgs(plan, "api").includes(`BASE_IMAGE=${PROFILE.images.busybox}`));
    });

    it("fails naming the profile when it sets a value the schema refuses", async () => {
        const bad = path.join(tempDir("bad-profile"), "profile.json");
        fs.writeFileSync(bad, JSON.stringify({ ...PROFILE, nodeImage: "localhost/kind-node:unpinned" }));
        process.env[PROFILE_ENV] = bad;
        try {
            await assert.rejects(
                () => planStack("smoke-e2e"),
                new RegExp(
                    `\`kubernaut-e2e:nodeImage\` \\(from the toolchain's defaults, ${bad.replace(/[.]/g, "\\.")}\\)`,
                ),
            );
            fs.writeFileSync(bad, JSON.stringify({ engine: "podman" }));
            assert.throws(
                () => readToolchainProfile(),
                new RegExp(`${bad.replace(/[.]/g, "\\.")}: not a toolchain profile`),
            );
        } finally {
            process.env[PROFILE_ENV] = file;
        }
    });

    it("uses built-in defaults where the machine has no profile", async () => {
        process.env[PROFILE_ENV] = "none";
        try {
            const plan = await planStack("signalprocessing-e2e", { configOverrides: ROOT });
            assert.equal(flag(step(plan, "postgres-pull"), "--image"), "docker.io/library/postgres:16-alpine");
            assert.ok(!buildArgs(plan, "signalprocessing").some((a) => a.startsWith("BUILDER_IMAGE=")));
            assert.equal(
                configReport("signalprocessing-e2e", ROOT).find((e) => e.key === "postgresImage")?.source,
                "built-in default",
            );
        } finally {
            process.env[PROFILE_ENV] = file;
        }
    });
});

describe("Kubernaut checkout resolution", () => {
    it("takes config, then KUBERNAUT_ROOT, then ../kubernaut when it exists, then the toolchain's pinned tree", () => {
        const sibling = tempDir("kubernaut-sibling");
        const absent = path.join(tempDir("no-sibling"), "kubernaut");
        const tree = "/toolchain/kubernaut/d5a4a870";
        assert.equal(resolveKubernautRoot("/mine", { KUBERNAUT_ROOT: "/env" }, tree, sibling).root, "/mine");
        assert.equal(resolveKubernautRoot(undefined, { KUBERNAUT_ROOT: "/env" }, tree, sibling).root, "/env");
        assert.deepEqual(resolveKubernautRoot(undefined, {}, tree, sibling), {
            root: sibling,
            from: "the default `../kubernaut`",
        });
        assert.deepEqual(resolveKubernautRoot(undefined, {}, tree, absent), {
            root: tree,
            from: "the offline toolchain's pinned tree",
        });
        assert.equal(
            resolveKubernautRoot(undefined, {}, undefined, absent).root,
            absent,
            "without a toolchain, the error names ../kubernaut",
        );
    });
});
