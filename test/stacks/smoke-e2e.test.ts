/**
 * The smoke-e2e stack under Pulumi mocks: the graph the engine will schedule, what preview does, the command lines
 * the steps run with, and config validation.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { type Plan } from "../../tools/plan.js";
import { planStack } from "../../tools/plan-stack.js";
import { STEP_NAMES, STEP_TYPE } from "../../lib/step-contract.js";
import { assertUniqueUrns, dependsOn, find, flag, rejection, step as command, stepArgs } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const STACK = "smoke-e2e";

describe("smoke-e2e under mocks", () => {
    let plan: Plan;
    before(async () => {
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("work");
        plan = await planStack(STACK);
    });

    it("registers the components and their children once each", () => {
        assertUniqueUrns(plan);
        const names = plan.resources.map((r) => `${r.type.split(":").pop()}/${r.name}`).sort();
        assert.deepEqual(names, [
            "ContainerImage/api",
            "ContainerImage/worker",
            "Deployment/api-workload-deployment",
            "Deployment/worker-workload-deployment",
            "ImageLoad/api",
            "ImageLoad/worker",
            "KindCluster/cluster",
            "Namespace/namespace",
            "Service/api-workload-service",
            "Stack/kubernaut-e2e-smoke-e2e",
            "Step/api-build",
            "Step/api-load",
            "Step/cluster-create",
            "Step/worker-build",
            "Step/worker-load",
            "Workload/api-workload",
            "Workload/worker-workload",
            "kubernetes/cluster-provider",
        ]);
    });

    it("creates the cluster after every build, and builds in parallel", () => {
        const cluster = command(plan, "cluster-create");
        const api = command(plan, "api-build");
        const worker = command(plan, "worker-build");
        assert.ok(dependsOn(plan, cluster, api) && dependsOn(plan, cluster, worker));
        assert.ok(!dependsOn(plan, api, worker) && !dependsOn(plan, worker, api), "builds do not wait for each other");
        assert.ok(!dependsOn(plan, api, cluster), "a build never waits for the cluster");
    });

    it("loads each image after its own build and the cluster only", () => {
        const load = command(plan, "api-load");
        assert.deepEqual(
            load.dependencies,
            [command(plan, "api-build").urn, command(plan, "cluster-create").urn].sort(),
        );
        assert.ok(!dependsOn(plan, load, command(plan, "worker-load")));
    });

    it("runs the api behind NodePort 30080 with a readiness probe on its named port, each Deployment after its own load", () => {
        const service = find(plan, "kubernetes:core/v1:Service", "api-workload-service").inputs as {
            spec: { type: string; ports: unknown[] };
        };
        assert.equal(service.spec.type, "NodePort");
        assert.deepEqual(service.spec.ports, [{ name: "http", port: 8080, targetPort: "http", nodePort: 30080 }]);
        const deployment = find(plan, "kubernetes:apps/v1:Deployment", "api-workload-deployment");
        const container = (
            deployment.inputs as { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } }
        ).spec.template.spec.containers[0];
        assert.deepEqual(container.readinessProbe, {
            httpGet: { path: "/", port: "http" },
            initialDelaySeconds: 1,
            periodSeconds: 2,
        });
        assert.equal(container.imagePullPolicy, "Never");
        assert.equal(container.image, plan.outputs.images && (plan.outputs.images as string[])[0]);
        assert.ok(dependsOn(plan, deployment, command(plan, "api-load")));
        assert.ok(
            !dependsOn(plan, deployment, command(plan, "worker-load")),
            "the api does not wait for the worker's image",
        );
        assert.equal(plan.outputs.apiUrl, "http://127.0.0.1:38080/");
    });

    it("creates the cluster at once with clusterAfterBuilds: false", async () => {
        const eager = await planStack(STACK, { configOverrides: { "kubernaut-e2e:clusterAfterBuilds": "false" } });
        const cluster = command(eager, "cluster-create");
        assert.ok(!dependsOn(eager, cluster, command(eager, "api-build")));
        assert.ok(
            dependsOn(eager, command(eager, "api-load"), command(eager, "api-build")),
            "loads still wait for their image",
        );
        assert.ok(
            !dependsOn(eager, command(eager, "api-load"), command(eager, "worker-build")),
            "and for nothing else",
        );
    });

    it("runs every step by name with a typed request, written as argument arrays, verb first, never through a shell", () => {
        const steps = plan.resources.filter((x) => x.type === STEP_TYPE);
        assert.equal(steps.length, 5);
        for (const r of steps) {
            assert.ok((STEP_NAMES as readonly string[]).includes(String(r.inputs.step)), r.name);
            const create = stepArgs(r);
            assert.ok(
                create.every((a) => typeof a === "string"),
                `${r.name}: arguments are an array of strings`,
            );
        }
        assert.equal((command(plan, "api-build").inputs.create as { verb: string }).verb, "build");
        assert.deepEqual(stepArgs(command(plan, "api-load"))[0], "image");
        assert.deepEqual(stepArgs(command(plan, "cluster-create"), "delete")[0], "delete");
        assert.equal(
            command(plan, "api-build").inputs.delete,
            undefined,
            "destroy keeps images: they are a content-addressed cache",
        );
    });

    it("checks on every diff that what a build or a cluster made is still there", () => {
        const ref = (command(plan, "api-build").inputs.triggers as string[])[0];
        assert.deepEqual(stepArgs(command(plan, "api-build"), "observe").slice(0, 3), ["exists", "--image", ref]);
        const observe = stepArgs(command(plan, "cluster-create"), "observe");
        assert.equal(observe[0], "status");
        assert.equal(observe[observe.indexOf("--name") + 1], STACK);
    });

    it("triggers a build by the content-addressed ref and a load by ref and cluster identity", () => {
        const build = command(plan, "api-build");
        const [ref] = build.inputs.triggers as string[];
        assert.match(ref, /^localhost\/kubernaut-e2e\/smoke-api:[0-9a-f]{12}$/);
        assert.deepEqual(command(plan, "api-load").inputs.triggers, [ref, "mock-identity-smoke-e2e"]);
        assert.equal(flag(command(plan, "api-load"), "--image"), ref);
        assert.equal((plan.outputs.images as string[])[0], ref, "the ref is known at plan time");
    });

    it("keeps the kubeconfig secret: the create step's result is a secret output, and the provider gets a secret", () => {
        const create = command(plan, "cluster-create");
        assert.deepEqual(create.options.additionalSecretOutputs, ["result"]);
        const provider = find(plan, "pulumi:providers:kubernetes", "cluster-provider");
        assert.equal(provider.inputs.kubeconfig, "[secret]");
        assert.equal(provider.inputs.clusterIdentifier, "kind-smoke-e2e-mock-identity-smoke-e2e");
    });

    it("renders the kind config into the create command's inputs", () => {
        const config = parse(String(flag(command(plan, "cluster-create"), "--config-yaml")));
        assert.deepEqual(config, {
            kind: "Cluster",
            apiVersion: "kind.x-k8s.io/v1alpha4",
            nodes: [
                {
                    role: "control-plane",
                    image: "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5",
                    extraPortMappings: [
                        { containerPort: 30080, hostPort: 38080, listenAddress: "127.0.0.1", protocol: "TCP" },
                    ],
                },
            ],
        });
    });

    it("derives the cluster name, kubeconfig and archive paths from the stack", () => {
        const work = process.env.KUBERNAUT_E2E_WORK_ROOT!;
        const create = command(plan, "cluster-create");
        assert.equal(flag(create, "--name"), STACK);
        assert.equal(flag(create, "--kubeconfig"), path.join(work, STACK, "kubeconfig"));
        assert.equal(flag(command(plan, "worker-load"), "--archive-dir"), path.join(work, STACK, "archives"));
    });

    it("fails on unknown and ill-typed config keys before registering anything, naming every key", async () => {
        const err = await rejection(() =>
            planStack(STACK, {
                configOverrides: {
                    "kubernaut-e2e:clusterAfterBuild": "true",
                    "kubernaut-e2e:hostPort": "70000",
                    "kubernaut-e2e:engine": "containerd",
                },
            }),
        );
        assert.match(err.message, /stack "smoke-e2e": invalid configuration:/);
        assert.match(err.message, /`kubernaut-e2e:clusterAfterBuild`: is not a known key/);
        assert.match(err.message, /`kubernaut-e2e:hostPort`: .*65535/);
        assert.match(err.message, /`kubernaut-e2e:engine`:/);
        assert.deepEqual(err.registered, []);
    });

    it("fails on a cluster name with shell metacharacters before registering anything", async () => {
        const err = await rejection(() =>
            planStack(STACK, {
                configOverrides: {
                    "kubernaut-e2e:clusterName": "x; rm -rf ~",
                    "kubernaut-e2e:nodeImage": "kindest/node:latest",
                },
            }),
        );
        assert.match(err.message, /`kubernaut-e2e:clusterName`: `x; rm -rf ~` is not a kind cluster name/);
        assert.match(err.message, /`kubernaut-e2e:nodeImage`: `kindest\/node:latest` is not pinned by digest/);
        assert.deepEqual(err.registered, []);
    });
});
