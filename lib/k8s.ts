/**
 * Small builders for the Kubernetes objects the components render, so that labels, probes, timeouts and
 * child options are written one way everywhere.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

type Input<T> = pulumi.Input<T>;
type Probe = k8s.types.input.core.v1.Probe;

/**
 * Annotation that bounds the provider's readiness wait for this object (Deployments, Jobs, Services…). One failing
 * object then fails with its own cause instead of holding the whole `up` for the provider's 10-minute default.
 */
export function awaitTimeout(seconds: number): Record<string, string> {
    return { "pulumi.com/timeoutSeconds": String(seconds) };
}

/** Why `port` cannot be a NodePort, or undefined. */
export function nodePortProblem(port: number): string | undefined {
    return Number.isInteger(port) && port >= 30000 && port <= 32767
        ? undefined
        : `${port} is outside the NodePort range 30000-32767`;
}

/** Why `seconds` cannot be an await timeout, or undefined. */
export function timeoutProblem(seconds: number): string | undefined {
    return Number.isInteger(seconds) && seconds > 0 && seconds <= 3600
        ? undefined
        : `${seconds} must be a whole number of seconds from 1 to 3600`;
}

/** For objects the provider would otherwise wait on although nothing will make them ready on their own. */
export const SKIP_AWAIT = { "pulumi.com/skipAwait": "true" } as const;

export interface ProbeTiming {
    readonly initialDelaySeconds: number;
    readonly periodSeconds: number;
    readonly timeoutSeconds?: number;
    readonly failureThreshold?: number;
}

export function httpProbe(path: string, port: Input<number | string>, timing: ProbeTiming): Probe {
    return { httpGet: { path, port }, ...timing };
}

export function execProbe(command: string[], timing: ProbeTiming): Probe {
    return { exec: { command }, ...timing };
}

/** `requests` and `limits` as Kubernaut writes them: `cpu/memory` pairs. */
export function resources(
    requests: [string, string],
    limits: [string, string],
): k8s.types.input.core.v1.ResourceRequirements {
    return { requests: { cpu: requests[0], memory: requests[1] }, limits: { cpu: limits[0], memory: limits[1] } };
}

/** Kinds of Kubernetes objects that live outside any namespace. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
    "Namespace",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleBinding",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "APIService",
    "IngressClass",
]);

/** Kind's single node is the control plane: workloads pinned to it must tolerate its taint. */
export const CONTROL_PLANE_PLACEMENT: Pick<k8s.types.input.core.v1.PodSpec, "nodeSelector" | "tolerations"> = {
    nodeSelector: { "node-role.kubernetes.io/control-plane": "" },
    tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }],
};

/** `host`, `host.ns`, `host.ns.svc` and `host.ns.svc.cluster.local`. */
export function serviceDnsNames(service: string, namespace: string): string[] {
    return [
        service,
        `${service}.${namespace}`,
        `${service}.${namespace}.svc`,
        `${service}.${namespace}.svc.cluster.local`,
    ];
}

/**
 * A Deployment of one replica whose selector and pod labels are the same `metadata.labels`, so they cannot drift
 * (Kubernaut's E2E workloads all run one replica).
 */
export function oneReplicaDeployment(
    metadata: {
        name: string;
        namespace: Input<string>;
        labels: Record<string, string>;
        annotations?: Record<string, string>;
    },
    pod: k8s.types.input.core.v1.PodSpec,
): k8s.apps.v1.DeploymentArgs {
    return {
        metadata,
        spec: {
            replicas: 1,
            selector: { matchLabels: metadata.labels },
            template: { metadata: { labels: metadata.labels }, spec: pod },
        },
    };
}
