/**
 * Lanes on an existing, shared cluster under mocks (stack config `cluster`): no kind cluster, every object in the
 * stack's own namespace or named per stack, CRDs kept for other users and released by the last, no NodePorts (ten
 * lanes' fixed NodePorts would collide), in-cluster URLs in the outputs, and clear refusals.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { stringify } from "yaml";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { readEnforcement } from "../../policy/enforcement.js";
import { evaluate } from "../../policy/evaluate.js";
import { LANES, type LaneName } from "../../stacks/lanes.js";
import type { Plan, PlannedResource } from "../../tools/plan.js";
import { planStack } from "../../tools/plan-stack.js";
import { rejection, step, stepArgs } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");
const PINNED = {
    "kubernaut-e2e:tektonManifest": JSON.stringify({ file: "test/fixtures/pinned/tekton-release.yaml" }),
    "kubernaut-e2e:awxOperatorManifest": JSON.stringify({ file: "test/fixtures/pinned/awx-operator.yaml" }),
};
/** Lanes that install cluster-wide third-party software or namespaces of their own, which a shared cluster refuses. */
const REFUSED: Partial<Record<LaneName, RegExp>> = {
    "workflowexecution-e2e":
        /`kubernaut-e2e:cluster`: workflowexecution-e2e cannot share a cluster with other stacks: it installs Tekton/,
    "aianalysis-e2e":
        /`kubernaut-e2e:cluster`: aianalysis-e2e cannot share a cluster with other stacks: its enrichment fixtures/,
    "kubernautagent-e2e":
        /`kubernaut-e2e:cluster`: kubernautagent-e2e cannot share a cluster with other stacks: its fixtures live in `default`/,
};

const isObject = (r: PlannedResource) =>
    r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers");
const kindOf = (r: PlannedResource) => r.type.split(":").pop()!;
const meta = (r: PlannedResource) => r.inputs.metadata as { name: string; namespace?: string };
const CLUSTER_SCOPED = new Set([
    "Namespace",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleBinding",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
]);

function kubeconfigFile(): string {
    const file = path.join(tempDir("kubeconfig"), "config");
    fs.writeFileSync(
        file,
        stringify({
            apiVersion: "v1",
            kind: "Config",
            "current-context": "team",
            contexts: [
                { name: "team", context: { cluster: "team", user: "ci" } },
                { name: "other", context: { cluster: "elsewhere", user: "ci" } },
            ],
            clusters: [
                { name: "team", cluster: { server: "https://k8s.example:6443", "certificate-authority": "ca.crt" } },
            ],
            users: [{ name: "ci", user: { token: "not-a-real-token" } }],
        }),
    );
    return file;
}

describe("lanes on a shared existing cluster under mocks", () => {
    let file: string;
    const configFor = (lane: LaneName, extra: Record<string, string> = {}) => ({
        "kubernaut-e2e:kubernautRoot": FIXTURE,
        "kubernaut-e2e:environment": lane,
        "kubernaut-e2e:engine": "podman",
        "kubernaut-e2e:registry": "registry.example:5000/e2e",
        "kubernaut-e2e:cluster": JSON.stringify({ kubeconfigFile: file }),
        ...(lane === "workflowexecution-e2e" ? PINNED : {}),
        ...extra,
    });
    before(() => {
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("work");
        file = kubeconfigFile();
    });

    for (const lane of Object.keys(LANES) as LaneName[]) {
        const stack = `${lane}-7`;
        it(`${lane} as stack ${stack}: ${REFUSED[lane] ? "refused with the reason" : "isolated per stack, with shared CRDs"}`, async () => {
            if (REFUSED[lane]) {
                const err = await rejection(() => planStack(stack, { configOverrides: configFor(lane) }));
                assert.match(err.message, REFUSED[lane]);
                assert.deepEqual(err.registered, [], "refused before anything is registered");
                return;
            }
            const plan: Plan = await planStack(stack, { configOverrides: configFor(lane) });
            const types = plan.resources.map(kindOf);
            assert.ok(!types.includes("KindCluster") && types.includes("ExistingCluster"));
            assert.ok(!types.includes("ImageLoad"), "images come from the registry");
            const objects = plan.resources.filter(isObject);
            for (const o of objects) {
                const { name, namespace } = meta(o);
                if (kindOf(o) === "Namespace") assert.equal(name, stack);
                else if (kindOf(o) === "CustomResourceDefinition")
                    assert.ok(o.options.retainOnDelete, `${name}: kept for the other stacks`);
                else if (CLUSTER_SCOPED.has(kindOf(o)))
                    assert.ok(name.endsWith(`-${stack}`), `${kindOf(o)} ${name} is named per stack`);
                else assert.equal(namespace, stack, `${kindOf(o)} ${name}`);
                if (kindOf(o) === "Service")
                    assert.notEqual((o.inputs.spec as { type?: string }).type, "NodePort", `Service ${name}`);
                const pod = (
                    o.inputs.spec as { template?: { spec?: { nodeSelector?: Record<string, string> } } } | undefined
                )?.template?.spec;
                assert.ok(
                    !pod?.nodeSelector?.["node-role.kubernetes.io/control-plane"] &&
                        pod?.nodeSelector?.["node-role.kubernetes.io/control-plane"] !== "",
                    `${kindOf(o)} ${name} must not be pinned to a control plane`,
                );
                for (const subject of (o.inputs.subjects as { kind: string; namespace?: string }[] | undefined) ?? []) {
                    if (subject.kind === "ServiceAccount")
                        assert.equal(
                            subject.namespace,
                            stack,
                            `${kindOf(o)} ${name} binds a ServiceAccount of its own namespace`,
                        );
                }
            }
            const violations = await evaluate(
                plan.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })),
                readEnforcement(),
            );
            assert.deepEqual(violations, [], "the policy pack passes it");
            const release = step(plan, "crds-release");
            assert.equal(stepArgs(release, "delete")[0], "release-crds");
            assert.ok(stepArgs(release, "delete").includes(stack));
            for (const [key, value] of Object.entries(plan.outputs)) {
                if (/Url$/.test(key) && value !== "[secret]")
                    assert.match(
                        String(value),
                        new RegExp(`^https?://[a-z0-9-]+\\.${stack}\\.svc:\\d+`),
                        `${key}: ${String(value)}`,
                    );
            }
        });
    }

    it("zeroes the lane's CPU requests with `cpuRequests: false`, and keeps its limits", async () => {
        const requests = async (cpuRequests?: boolean) => {
            const plan = await planStack("sp-cpu", {
                configOverrides: configFor("signalprocessing-e2e", {
                    "kubernaut-e2e:cluster": JSON.stringify({
                        kubeconfigFile: file,
                        ...(cpuRequests === undefined ? {} : { cpuRequests }),
                    }),
                }),
            });
            const deployment = plan.resources.find(
                (r) => r.type === "kubernetes:apps/v1:Deployment" && meta(r).name === "datastorage",
            )!;
            return (
                deployment.inputs as {
                    spec: {
                        template: {
                            spec: {
                                containers: {
                                    resources: { requests: Record<string, string>; limits: Record<string, string> };
                                }[];
                            };
                        };
                    };
                }
            ).spec.template.spec.containers[0].resources;
        };
        assert.equal((await requests()).requests.cpu, "250m");
        const dropped = await requests(false);
        assert.equal(dropped.requests.cpu, "0", "zero, not absent: an absent request defaults to the limit");
        assert.equal(dropped.requests.memory, "512Mi");
        assert.equal(dropped.limits.cpu, "500m");
    });

    it("names the key when the registry is missing, the kubeconfig file is absent or its context unknown, before anything is registered", async () => {
        const lane = "signalprocessing-e2e";
        const noRegistry = await rejection(() =>
            planStack("sp-1", { configOverrides: { ...configFor(lane), "kubernaut-e2e:registry": "" } }),
        );
        assert.match(noRegistry.message, /`kubernaut-e2e:registry`/);
        const missing = await rejection(() =>
            planStack("sp-1", {
                configOverrides: configFor(lane, {
                    "kubernaut-e2e:cluster": JSON.stringify({ kubeconfigFile: "/nonexistent/config" }),
                }),
            }),
        );
        assert.match(
            missing.message,
            /`kubernaut-e2e:cluster`: [\s\S]*`kubeconfigFile`: `\/nonexistent\/config` does not exist/,
        );
        assert.deepEqual(missing.registered, []);
        const context = await rejection(() =>
            planStack("sp-1", {
                configOverrides: configFor(lane, {
                    "kubernaut-e2e:cluster": JSON.stringify({ kubeconfigFile: file, context: "nope" }),
                }),
            }),
        );
        assert.match(context.message, /has no context `nope`; it has `team`, `other`/);
        assert.deepEqual(context.registered, []);
    });
});
