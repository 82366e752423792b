/**
 * The rules that stop slow or broken E2E stacks before they run. One implementation serves two paths: the Pulumi
 * policy pack (`pack.ts`, during `pulumi preview --policy-pack policy`) and `npm run lint:stack` over a mocked plan.
 * Rules see resources as `{ type, name, urn, props }`, the shape @pulumi/policy passes.
 */
import * as fs from "node:fs";
import { namespaceConfig, readStackConfigFile } from "../lib/config.js";
import { lintDockerfile } from "../tools/dockerfile-lint.js";
import { hostPortProblems, projectHostPorts, projectStacks } from "../lib/host-ports.js";
import { CLUSTER_SCOPED } from "../lib/k8s.js";
import { STEP_TYPE } from "../lib/step-contract.js";
import { requestFlags, type StepName, type VerbName } from "../lib/step-verbs.js";
import { hostPortsOf, scopeOfStack } from "../stacks/programs.js";

/* eslint-disable
    @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access,
    @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return,
    @typescript-eslint/no-unsafe-argument
    -- props are whatever the resource declares: the rules read them defensively (`?.`) */
export interface PolicyResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, any>;
}

export interface Violation {
    readonly message: string;
    /** The resource at fault, for stack rules. */
    readonly urn?: string;
}

interface RuleBase {
    readonly name: string;
    readonly description: string;
}
export interface ResourceRule extends RuleBase {
    readonly kind: "resource";
    check(resource: PolicyResource): string[];
}
export interface StackRule extends RuleBase {
    readonly kind: "stack";
    check(resources: readonly PolicyResource[]): Promise<Violation[]>;
}
export type Rule = ResourceRule | StackRule;

const WORKLOADS = new Set([
    "apps/v1:Deployment",
    "apps/v1:StatefulSet",
    "apps/v1:DaemonSet",
    "batch/v1:Job",
    "core/v1:Pod",
]);
/** Kinds the Kubernetes provider waits on before it calls them ready. */
const AWAITED = new Set([
    ...WORKLOADS,
    "core/v1:Service",
    "networking.k8s.io/v1:Ingress",
    "core/v1:PersistentVolumeClaim",
]);

function kindOf(resource: PolicyResource): string | undefined {
    return resource.type.startsWith("kubernetes:") ? resource.type.slice("kubernetes:".length) : undefined;
}

function podSpec(resource: PolicyResource): Record<string, any> | undefined {
    const kind = kindOf(resource);
    if (!kind || !WORKLOADS.has(kind)) return undefined;
    return kind === "core/v1:Pod" ? resource.props.spec : resource.props.spec?.template?.spec;
}

function containers(resource: PolicyResource): Record<string, any>[] {
    const spec = podSpec(resource);
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].filter((c) => c && typeof c === "object");
}

/** The typed flags of a step resource running `step verb`, when the resource is one (`lib/step-verbs.ts`). */
export function stepFlags<S extends StepName, V extends VerbName<S>>(resource: PolicyResource, step: S, verb: V) {
    return resource.type === STEP_TYPE ? requestFlags(resource.props, step, verb) : undefined;
}

/** Annotation by which a workload that serves nothing (a pause fixture) explains why it has no readiness probe. */
export const NO_READINESS_PROBE = "kubernaut-e2e/no-readiness-probe";

const SECRET_KEY = /(^|[-_.])(password|passwd|pwd|token|secret|credentials?|private[-_]?key|api[-_]?key|key)([-_.]|$)/i;
const PRIVATE_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export const RULES: readonly Rule[] = [
    {
        kind: "resource",
        name: "dockerfile-errors",
        description:
            "Every ContainerImage's Dockerfile passes the Dockerfile lint's error rules (no package upgrades, no remote ADD).",
        check(resource) {
            const dockerfile = stepFlags(resource, "image", "build")?.dockerfile;
            if (!dockerfile || !fs.existsSync(dockerfile)) return [];
            return lintDockerfile(dockerfile, fs.readFileSync(dockerfile, "utf8"))
                .filter((f) => f.severity === "error")
                .map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`);
        },
    },
    {
        kind: "resource",
        name: "no-load-balancer",
        description:
            "No Service of type LoadBalancer: kind never assigns one an address, so the provider waits until it times out.",
        check(resource) {
            return kindOf(resource) === "core/v1:Service" && resource.props.spec?.type === "LoadBalancer"
                ? [
                      `Service \`${resource.props.metadata?.name}\` is a LoadBalancer, which never becomes ready on kind; use NodePort with a kind port mapping`,
                  ]
                : [];
        },
    },
    {
        kind: "resource",
        name: "local-images-not-pulled",
        description:
            "Locally built or loaded images (`localhost/…`) are never pulled: imagePullPolicy Never or IfNotPresent.",
        check(resource) {
            return containers(resource)
                .filter(
                    (c) =>
                        typeof c.image === "string" &&
                        c.image.startsWith("localhost/") &&
                        c.imagePullPolicy !== "Never" &&
                        c.imagePullPolicy !== "IfNotPresent",
                )
                .map(
                    (c) =>
                        `container \`${c.name}\` runs the local image \`${c.image}\` with imagePullPolicy ${c.imagePullPolicy ?? "unset"}: the node would try a registry and never start it; set Never`,
                );
        },
    },
    {
        kind: "resource",
        name: "readiness-probes",
        description:
            "Every Deployment and StatefulSet container has a readiness probe, so 'available' means ready (fixtures that serve nothing say why not in `kubernaut-e2e/no-readiness-probe`).",
        check(resource) {
            const kind = kindOf(resource);
            if (kind !== "apps/v1:Deployment" && kind !== "apps/v1:StatefulSet") return [];
            if (resource.props.metadata?.annotations?.[NO_READINESS_PROBE]) return [];
            return (resource.props.spec?.template?.spec?.containers ?? [])
                .filter((c: Record<string, any>) => !c.readinessProbe)
                .map(
                    (c: Record<string, any>) =>
                        `container \`${c.name}\` has no readinessProbe: the rollout counts it ready before it serves`,
                );
        },
    },
    {
        kind: "resource",
        name: "await-timeouts",
        description:
            "Every object the provider waits on carries `pulumi.com/timeoutSeconds` (or `pulumi.com/skipAwait`).",
        check(resource) {
            const kind = kindOf(resource);
            const annotations = resource.props.metadata?.annotations ?? {};
            const awaited = (kind && AWAITED.has(kind)) || annotations["pulumi.com/waitFor"] !== undefined;
            if (
                !awaited ||
                annotations["pulumi.com/timeoutSeconds"] !== undefined ||
                annotations["pulumi.com/skipAwait"] === "true"
            )
                return [];
            return [
                `${kind} \`${resource.props.metadata?.name}\` is awaited without \`pulumi.com/timeoutSeconds\`: a failure would hold the whole run for the provider's 10-minute default`,
            ];
        },
    },
    {
        kind: "resource",
        name: "no-secrets-in-configmaps",
        description: "Secret material (password/token/key entries, private-key PEM blocks) never sits in a ConfigMap.",
        check(resource) {
            if (kindOf(resource) !== "core/v1:ConfigMap") return [];
            const data: Record<string, unknown> = {
                ...(resource.props.data ?? {}),
                ...(resource.props.binaryData ?? {}),
            };
            return Object.entries(data).flatMap(([key, value]) => {
                if (SECRET_KEY.test(key))
                    return [
                        `ConfigMap \`${resource.props.metadata?.name}\` has entry \`${key}\`, which looks secret; put it in a Secret`,
                    ];
                if (typeof value === "string" && PRIVATE_PEM.test(value))
                    return [
                        `ConfigMap \`${resource.props.metadata?.name}\` entry \`${key}\` holds a private key; put it in a Secret`,
                    ];
                return [];
            });
        },
    },
    {
        kind: "stack",
        name: "node-ports",
        description: "NodePorts are inside 30000–32767 and unique within the stack.",
        async check(resources) {
            const seen = new Map<number, string>();
            const violations: Violation[] = [];
            for (const r of resources.filter((x) => kindOf(x) === "core/v1:Service")) {
                for (const port of r.props.spec?.ports ?? []) {
                    const nodePort = port?.nodePort;
                    if (typeof nodePort !== "number") continue;
                    const service = r.props.metadata?.name;
                    if (nodePort < 30000 || nodePort > 32767)
                        violations.push({
                            urn: r.urn,
                            message: `Service \`${service}\` NodePort ${nodePort} is outside 30000-32767`,
                        });
                    const other = seen.get(nodePort);
                    if (other)
                        violations.push({
                            urn: r.urn,
                            message: `Service \`${service}\` NodePort ${nodePort} is also used by Service \`${other}\``,
                        });
                    else seen.set(nodePort, service);
                }
            }
            return violations;
        },
    },
    {
        kind: "stack",
        name: "stacks-isolated",
        description:
            "Host ports, cluster names and kubeconfig paths are unique across all stacks of the project, so any two can run at once; on a shared cluster, every cluster-scoped object but the shared CRDs is the stack's own.",
        async check(resources) {
            const violations: Violation[] = [];
            // A stack on an existing cluster (its kubeconfig written by ExistingCluster) shares the cluster, not names.
            for (const existing of resources.filter((r) => r.type === "kubernaut-e2e:components:ExistingCluster")) {
                const stack = existing.urn.split("::")[0].replace(/^urn:pulumi:/, "");
                for (const r of resources) {
                    const kind = r.type.split(":").pop()!;
                    const name = r.props.metadata?.name;
                    if (
                        !r.type.startsWith("kubernetes:") ||
                        kind === "CustomResourceDefinition" ||
                        typeof name !== "string"
                    )
                        continue;
                    if (
                        kind === "Namespace" ? name !== stack : CLUSTER_SCOPED.has(kind) && !name.endsWith(`-${stack}`)
                    ) {
                        violations.push({
                            urn: r.urn,
                            message: `${kind} \`${name}\` on a shared cluster is not named for stack \`${stack}\`, so another stack could own it too`,
                        });
                    }
                }
            }
            for (const create of resources) {
                const flags = stepFlags(create, "cluster", "create");
                if (!flags) continue;
                const stack = create.urn.split("::")[0].replace(/^urn:pulumi:/, "");
                // The ports the cluster really publishes, named by the node port each maps; the same check as the
                // program's.
                const config = (flags["config-yaml"] ?? {}) as {
                    nodes?: { extraPortMappings?: { containerPort?: number; hostPort?: number }[] }[];
                };
                const published = Object.fromEntries(
                    (config.nodes ?? [])
                        .flatMap((n) => n.extraPortMappings ?? [])
                        .filter((m) => typeof m.hostPort === "number")
                        .map((m) => [`node port ${m.containerPort} mapping`, m.hostPort as number]),
                );
                const others = projectHostPorts(hostPortsOf);
                for (const problem of hostPortProblems(stack, published, others, (name) => name))
                    violations.push({ urn: create.urn, message: problem });
                for (const other of projectStacks().filter((s) => s !== stack)) {
                    const otherConfig = namespaceConfig(readStackConfigFile(other));
                    const scope = scopeOfStack(other, otherConfig);
                    if (scope.clusterName === flags.name)
                        violations.push({
                            urn: create.urn,
                            message: `cluster name \`${scope.clusterName}\` is also stack \`${other}\`'s`,
                        });
                    if (scope.kubeconfigPath === flags.kubeconfig)
                        violations.push({
                            urn: create.urn,
                            message: `kubeconfig \`${scope.kubeconfigPath}\` is also stack \`${other}\`'s`,
                        });
                }
            }
            return violations;
        },
    },
];
