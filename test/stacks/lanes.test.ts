/**
 * Every Kubernaut lane under Pulumi mocks, against the Kubernaut-shaped fixture (test/fixtures/kubernaut): each object
 * once; every reference inside the plan resolvable (volumes, ServiceAccounts, role refs, Service selectors); the
 * lane's port table published by a Service and mapped by kind; the edges the lanes rely on, and no barrier between
 * images; every object valid against the Kubernetes schema and the kind config against kind's; the policy pack
 * passing; identical re-plans. Lane-specific facts are in the table below; signalprocessing-e2e.test.ts goes deeper
 * into one lane.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { kindConfigProblems } from "../../components/kind-cluster/config-schema.js";
import { STEP_TYPE } from "../../lib/step-contract.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { evaluate } from "../../policy/evaluate.js";
import { readEnforcement } from "../../policy/enforcement.js";
import { NO_READINESS_PROBE } from "../../policy/rules.js";
import type { LanePort } from "../../components/lane/spec.js";
import { LANES, type LaneName } from "../../stacks/lanes.js";
import type { Plan, PlannedResource } from "../../tools/plan.js";
import { planStack } from "../../tools/plan-stack.js";
import { validateAgainstSchema } from "../support/k8s-schema.js";
import { assertUniqueUrns, dependsOn, flag, step } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");
const SPINE = ["datastorage", "postgresql", "redis"];

/** What each lane must bring up beyond the spine, and how its catalogue is seeded. */
const EXPECTED: Record<
    LaneName,
    {
        deployments: string[];
        actionTypes: "status" | "admission";
        workflows?: number;
        webhook?: boolean;
        suite: string;
        reserved?: number[];
        config?: Record<string, string>;
    }
> = {
    "signalprocessing-e2e": {
        deployments: ["signalprocessing-controller"],
        actionTypes: "status",
        suite: "signalprocessing-e2e-sa",
    },
    "gateway-e2e": {
        deployments: ["gateway"],
        actionTypes: "status",
        suite: "e2e-gateway-suite-sa",
        reserved: [30185, 30183, 30082],
    },
    "datastorage-e2e": { deployments: [], actionTypes: "status", suite: "datastorage-e2e-client" },
    "authwebhook-e2e": {
        deployments: ["authwebhook"],
        actionTypes: "admission",
        webhook: true,
        suite: "authwebhook-e2e-client",
    },
    "remediationorchestrator-e2e": {
        deployments: ["remediationorchestrator-controller", "authwebhook"],
        actionTypes: "admission",
        webhook: true,
        suite: "remediationorchestrator-e2e-sa",
    },
    "workflowexecution-e2e": {
        deployments: [
            "workflowexecution-controller",
            "authwebhook",
            "tekton-pipelines-controller",
            "awx-operator-controller-manager",
        ],
        actionTypes: "admission",
        workflows: 13,
        webhook: true,
        suite: "workflowexecution-e2e-sa",
        reserved: [30095],
        config: {
            "kubernaut-e2e:tektonManifest": JSON.stringify({ file: "test/fixtures/pinned/tekton-release.yaml" }),
            "kubernaut-e2e:awxOperatorManifest": JSON.stringify({ file: "test/fixtures/pinned/awx-operator.yaml" }),
        },
    },
    "aianalysis-e2e": {
        deployments: [
            "aianalysis-controller",
            "kubernaut-agent",
            "mock-llm",
            "mock-llm-shadow",
            "api-server",
            "worker",
        ],
        actionTypes: "status",
        workflows: 6,
        suite: "aianalysis-e2e-sa",
    },
    "notification-e2e": {
        deployments: ["notification-controller", "mock-webhook", "authwebhook"],
        actionTypes: "status",
        webhook: true,
        suite: "notification-e2e-sa",
    },
    "effectivenessmonitor-e2e": {
        deployments: ["effectivenessmonitor-controller", "prometheus", "alertmanager", "authwebhook"],
        actionTypes: "status",
        webhook: true,
        suite: "effectivenessmonitor-e2e-sa",
    },
    "kubernautagent-e2e": {
        deployments: [
            "kubernaut-agent",
            "mock-llm",
            "mock-llm-shadow",
            "prometheus",
            "alertmanager",
            "dex",
            "api-server",
            "worker",
        ],
        actionTypes: "status",
        workflows: 9,
        suite: "kubernaut-agent-e2e-sa",
    },
};
/** Lanes whose Kubernaut setup seeds no ActionTypes. */
const NO_CATALOGUE = new Set<LaneName>(["notification-e2e", "effectivenessmonitor-e2e"]);

function planOf(stack: LaneName) {
    return planStack(stack, { configOverrides: { "kubernaut-e2e:kubernautRoot": FIXTURE, ...EXPECTED[stack].config } });
}

const isObject = (r: PlannedResource) =>
    r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers");
const kindOf = (r: PlannedResource) => r.type.split(":").pop()!;
const metaOf = (r: PlannedResource) =>
    r.inputs.metadata as { name: string; namespace?: string; annotations?: Record<string, string> };
const keyOf = (r: PlannedResource) => `${kindOf(r)}/${metaOf(r).namespace ?? ""}/${metaOf(r).name}`;

/** The `datastorage` (or `dataStorage`) section of a service config, at the top or one level down. */
function findDataStorageSection(doc: Record<string, unknown>): { url?: string; healthUrl?: string } | undefined {
    for (const scope of [
        doc,
        ...Object.values(doc).filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null),
    ]) {
        const section = (scope.datastorage ?? scope.dataStorage) as { url?: string; healthUrl?: string } | undefined;
        if (section && typeof section === "object") return section;
    }
    return undefined;
}

function objects(plan: Plan): Map<string, PlannedResource> {
    const result = new Map<string, PlannedResource>();
    for (const r of plan.resources.filter(isObject)) {
        assert.ok(!result.has(keyOf(r)), `${keyOf(r)} is rendered twice`);
        result.set(keyOf(r), r);
    }
    return result;
}

const has = (all: Map<string, PlannedResource>, kind: string, namespace: string, name: string) =>
    all.has(`${kind}/${namespace}/${name}`);

for (const stack of Object.keys(LANES) as LaneName[]) {
    const lane = LANES[stack];
    const expected = EXPECTED[stack];

    describe(`${stack} under mocks`, () => {
        let plan: Plan;
        let all: Map<string, PlannedResource>;
        before(async () => {
            process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir(`${stack}-work`);
            plan = await planOf(stack);
            assertUniqueUrns(plan);
            all = objects(plan);
        });

        it("brings up the spine, the lane's services and its catalogue, each object once", () => {
            const deployments = [...all.values()]
                .filter((r) => kindOf(r) === "Deployment")
                .map((r) => metaOf(r).name)
                .sort();
            assert.deepEqual(deployments, [...SPINE, ...expected.deployments].sort());
            const count = (kind: string) => [...all.values()].filter((r) => kindOf(r) === kind).length;
            assert.equal(count("CustomResourceDefinition") >= 11, true);
            assert.equal(count("ActionType"), NO_CATALOGUE.has(stack) ? 0 : 11);
            assert.equal(count("RemediationWorkflow"), expected.workflows ?? 0);
            assert.equal(
                count("MutatingWebhookConfiguration") + count("ValidatingWebhookConfiguration"),
                expected.webhook ? 2 : 0,
            );
            assert.ok(
                has(all, "ServiceAccount", lane.namespace, expected.suite),
                `suite ServiceAccount ${expected.suite}`,
            );
            assert.ok(has(all, "Namespace", "", lane.namespace));
        });

        it("resolves every reference inside the plan: volumes, ServiceAccounts, role refs, subjects, selectors", () => {
            const problems: string[] = [];
            const need = (kind: string, namespace: string, name: string, from: string) => {
                if (!has(all, kind, namespace, name))
                    problems.push(`${from} names ${kind} ${namespace}/${name}, which the plan lacks`);
            };
            for (const r of all.values()) {
                const { namespace = "", name } = metaOf(r);
                const from = `${kindOf(r)} ${namespace}/${name}`;
                const pod =
                    kindOf(r) === "Deployment"
                        ? (r.inputs.spec as Spec).template.spec
                        : kindOf(r) === "Job"
                          ? (r.inputs.spec as Spec).template.spec
                          : undefined;
                if (pod) {
                    if (pod.serviceAccountName) need("ServiceAccount", namespace, pod.serviceAccountName, from);
                    for (const v of (pod.volumes ?? []) as Spec[]) {
                        if (v.configMap) need("ConfigMap", namespace, v.configMap.name, from);
                        if (v.secret && !v.secret.optional) need("Secret", namespace, v.secret.secretName, from);
                        for (const s of (v.projected?.sources ?? []) as Spec[]) {
                            if (s.configMap) need("ConfigMap", namespace, s.configMap.name, from);
                            if (s.secret) need("Secret", namespace, s.secret.name, from);
                        }
                    }
                }
                if (kindOf(r) === "RoleBinding" || kindOf(r) === "ClusterRoleBinding") {
                    const ref = r.inputs.roleRef as { kind: string; name: string };
                    need(ref.kind, ref.kind === "Role" ? namespace : "", ref.name, from);
                    for (const s of (r.inputs.subjects ?? []) as Spec[])
                        if (s.kind === "ServiceAccount") need("ServiceAccount", s.namespace, s.name, from);
                }
                if (kindOf(r) === "Service" && (r.inputs.spec as Spec).selector) {
                    const selector = (r.inputs.spec as Spec).selector as Record<string, string>;
                    const matched = [...all.values()].some(
                        (d) =>
                            kindOf(d) === "Deployment" &&
                            metaOf(d).namespace === namespace &&
                            Object.entries(selector).every(
                                ([k, v]) => (d.inputs.spec as Spec).template.metadata.labels?.[k] === v,
                            ),
                    );
                    if (!matched)
                        problems.push(`${from} selects ${JSON.stringify(selector)}, which no Deployment's Pods carry`);
                }
            }
            assert.deepEqual(problems, []);
        });

        it("publishes every entry of its port table: a Service's NodePort, mapped by kind to the host port", () => {
            const nodePorts = new Set(
                [...all.values()]
                    .filter((r) => kindOf(r) === "Service")
                    .flatMap((r) => ((r.inputs.spec as Spec).ports as Spec[]).map((p) => p.nodePort))
                    .filter(Boolean),
            );
            const unpublished = Object.entries(lane.ports)
                .filter(([, p]) => !nodePorts.has(p.nodePort) && !(expected.reserved ?? []).includes(p.nodePort))
                .map(([key]) => key);
            assert.deepEqual(unpublished, [], "port-table entries no Service publishes");
            const config = parse(flag(step(plan, "cluster-create"), "--config-yaml")!);
            assert.deepEqual(kindConfigProblems(config), []);
            assert.deepEqual(
                config.nodes[0].extraPortMappings.map((m: Spec) => [m.containerPort, m.hostPort]),
                Object.values(lane.ports).map((p) => [p.nodePort, p.hostPort]),
            );
            const hostPorts = new Set(Object.values(lane.ports).map((p) => p.hostPort));
            for (const [key, value] of Object.entries(plan.outputs ?? {})) {
                if (!key.endsWith("Url") || typeof value !== "string" || !/^https?:/.test(value)) continue;
                assert.ok(
                    hostPorts.has(Number(new URL(value).port)),
                    `output ${key} (${value}) is on a port the lane does not map`,
                );
            }
        });

        it("names, for each port it publishes, the Service port behind it (a shared cluster's URLs use them)", () => {
            const services = [...all.values()].filter((r) => kindOf(r) === "Service");
            for (const [key, port] of Object.entries(lane.ports as Record<string, LanePort>)) {
                if (!port.service) {
                    assert.ok(
                        (expected.reserved ?? []).includes(port.nodePort),
                        `${key} names no Service and is not reserved`,
                    );
                    continue;
                }
                const behind = services.find((s) => metaOf(s).name === port.service!.service);
                const published = ((behind?.inputs.spec as Spec | undefined)?.ports as Spec[] | undefined)?.find(
                    (p) => p.nodePort === port.nodePort,
                );
                assert.equal(
                    published?.port,
                    port.service.port,
                    `${key}: Service ${port.service.service} publishes ${port.service.port} on NodePort ${port.nodePort}`,
                );
            }
        });

        it("waits for the cluster as long as the lane's data says (kind create cluster --wait)", () => {
            const expectedWait = "clusterWaitSeconds" in lane ? lane.clusterWaitSeconds : 60;
            assert.equal(flag(step(plan, "cluster-create"), "--wait-seconds"), String(expectedWait));
            if (stack === "gateway-e2e" || stack === "kubernautagent-e2e")
                assert.equal(expectedWait, 300, "Kubernaut waits 300 s for these two");
        });

        it("creates the cluster after every build, and loads each image after its build and the cluster only", () => {
            const create = step(plan, "cluster-create");
            const steps = plan.resources.filter((r) => r.type === STEP_TYPE);
            for (const image of Object.keys(lane.images)) {
                assert.ok(dependsOn(plan, create, step(plan, `${image}-build`)), `cluster after ${image}`);
            }
            // Beyond what the cluster itself waits for, a load waits for its own image alone.
            const beforeCluster = new Set(steps.filter((s) => dependsOn(plan, create, s)).map((s) => s.name));
            for (const load of steps.filter((s) => s.name.endsWith("-load"))) {
                const image = load.name.slice(0, -"-load".length);
                const own = steps
                    .filter((s) => s !== load && dependsOn(plan, load, s) && !beforeCluster.has(s.name) && s !== create)
                    .map((s) => s.name);
                assert.deepEqual(
                    own.filter((n) => n !== `${image}-pull`),
                    [],
                    `${load.name} waits only for its image and the cluster`,
                );
                assert.ok(dependsOn(plan, load, create));
                if (Object.hasOwn(lane.images, image)) assert.ok(dependsOn(plan, load, step(plan, `${image}-build`)));
            }
        });

        it("starts each Deployment after its image load, with a readiness probe and its own await timeout", () => {
            for (const r of [...all.values()].filter((x) => kindOf(x) === "Deployment")) {
                const container = (r.inputs.spec as Spec).template.spec.containers[0];
                assert.ok(
                    container.readinessProbe || metaOf(r).annotations?.[NO_READINESS_PROBE],
                    `${keyOf(r)} has a readiness probe`,
                );
                assert.ok(metaOf(r).annotations?.["pulumi.com/timeoutSeconds"], `${keyOf(r)} has an await timeout`);
                if (String(container.image).startsWith("localhost/kubernaut/")) {
                    assert.equal(container.imagePullPolicy, "Never");
                    const image = String(container.image).split("/").pop()!.split(":")[0];
                    assert.ok(dependsOn(plan, r, step(plan, `${image}-load`)), `${keyOf(r)} after ${image}-load`);
                }
            }
            // Kubernaut's services hold their readiness until DataStorage answers: each starts after its rollout.
            const ds = all.get(`Deployment/${lane.namespace}/datastorage`)!;
            const services = [...all.values()].filter(
                (r) =>
                    kindOf(r) === "Deployment" &&
                    metaOf(r).namespace === lane.namespace &&
                    /^localhost\/kubernaut\/(?!datastorage|mock-llm)/.test(
                        (r.inputs.spec as Spec).template.spec.containers[0].image,
                    ),
            );
            assert.ok(services.length >= (stack === "datastorage-e2e" ? 0 : 1));
            for (const r of services)
                assert.ok(dependsOn(plan, r, ds), `${keyOf(r)} starts after DataStorage is ready`);
        });

        it("gives every service that talks to DataStorage its readiness URL too, over the same TLS port", () => {
            // Kubernaut's services gate their own readiness on `datastorage.healthUrl`, defaulting to plain HTTP,
            // which DataStorage's TLS port answers with 400: a config without it never becomes Ready.
            const configs = [...all.values()]
                .filter((r) => kindOf(r) === "ConfigMap")
                .flatMap((r) =>
                    Object.values((r.inputs.data ?? {}) as Record<string, string>)
                        .filter((text) => typeof text === "string" && /^\s*(datastorage|dataStorage):/m.test(text))
                        .map((text) => ({ name: metaOf(r).name, doc: parse(text) as Record<string, unknown> })),
                );
            for (const { name, doc } of configs) {
                const section = findDataStorageSection(doc);
                if (!section?.url) continue;
                assert.equal(section.healthUrl, `${section.url}/readyz`, `${name}: datastorage.healthUrl`);
                assert.match(section.url, /^https:/, `${name}: datastorage.url`);
            }
        });

        it("validates every object against the Kubernetes schema", () => {
            for (const r of all.values()) {
                if (
                    !/^kubernetes:(core|apps|batch|rbac\.authorization\.k8s\.io|policy|admissionregistration\.k8s\.io|apiextensions\.k8s\.io)\//.test(
                        r.type,
                    )
                )
                    continue;
                const inputs = ["[secret]", "[unknown]"].includes(r.inputs.stringData as string)
                    ? { ...r.inputs, stringData: { redacted: "x" } }
                    : r.inputs;
                assert.doesNotThrow(
                    () => assert.ok(validateAgainstSchema(r.type, inputs), `no model for ${r.type}`),
                    `${keyOf(r)} does not validate`,
                );
            }
        });

        it("passes the project's policy pack", async () => {
            const violations = await evaluate(
                plan.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })),
                readEnforcement(),
            );
            assert.deepEqual(violations, []);
        });

        it("plans identically twice", async () => {
            assert.deepEqual(await planOf(stack), plan);
        });
    });
}
