/**
 * A Kubernaut lane's facts as data: the images it builds, its port table, its kind profile, its namespace, its suite's
 * identity and its own config keys. The stack's config schema (`config.ts`), its host ports, its kind port mappings,
 * its URLs and its outputs all derive from this one record (`stacks/lanes.ts` holds every lane's), so a port, a
 * default or a ServiceAccount name is written once (inventory §3 and §4 for each lane's values).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { z } from "zod";
import type { Requirement } from "../../lib/kubernaut-source.js";
import { stackScope, type StackScope } from "../../lib/stack-scope.js";
import type { ProfileImageRole } from "../../lib/toolchain/profile.js";
import type { TlsLeaf } from "../kubernetes/inter-service-tls.js";

/** One image the lane builds from the Kubernaut checkout. */
export interface LaneImage {
    /** Dockerfile, relative to the checkout. */
    readonly dockerfile: string;
    /** Repository the image is tagged in (its tag is the content fingerprint). */
    readonly repository: string;
    /**
     * When the image is built with coverage: `always` (the lane always instruments it), `option` (when the stack's
     * `coverage` is on, Kubernaut's `E2E_COVERAGE=true`) or `never` (not a Go service binary).
     */
    readonly coverage: "always" | "option" | "never";
    /**
     * The Go main packages the Dockerfile builds: the tag then follows only their inputs, so an edit to another
     * service does not rebuild this one. `[]`: the image builds no Go code of the checkout. @default - the whole
     * checkout counts
     */
    readonly go?: readonly string[];
}

/** The Service port a port-table entry publishes: its in-cluster address on a cluster the stack shares. */
export interface ServicePort {
    readonly service: string;
    readonly port: number;
}

/** A NodePort of the cluster published on a host port. */
export interface LanePort {
    readonly nodePort: number;
    /** Default host port (DD-TEST-001, unique across every lane of this project). */
    readonly hostPort: number;
    /** Why the default differs from Kubernaut's, where it does. */
    readonly changed?: string;
    /**
     * The Service port behind the NodePort (a test holds it to the plan). @default - none of the stack's: the port is
     * reserved for objects the suite creates, and has no URL of ours
     */
    readonly service?: ServicePort;
}

/** Extra kube-apiserver/etcd flags some lanes set (inventory §3). */
export type KubeadmProfile = "standard" | "high-load" | "high-load-webhook-cache" | "none";

type PolicyRule = k8s.types.input.rbac.v1.PolicyRule;

/** Who the lane's Ginkgo suite acts as (`SuiteAccess`). */
export interface SuiteIdentity {
    readonly serviceAccountName: string;
    /** ClusterRoles of the suite's own, bound to it. @default [] */
    readonly clusterRoles?: readonly { readonly name: string; readonly rules: readonly PolicyRule[] }[];
    /** Roles of the suite's own in the lane's namespace. @default [] */
    readonly roles?: readonly { readonly name: string; readonly rules: readonly PolicyRule[] }[];
}

export interface LaneSpec {
    /** The stack (and program) name, e.g. `gateway-e2e`. */
    readonly stack: string;
    /** One line for the README and `--help`. */
    readonly summary: string;
    /** Kubernaut's kind cluster name for this lane, the default for the stack of the same name. */
    readonly kubernautCluster: string;
    /** The namespace Kubernaut's suite uses. */
    readonly namespace: string;
    /** Labels of that namespace, as Kubernaut creates it. @default {} */
    readonly namespaceLabels?: Readonly<Record<string, string>>;
    readonly kubeadm: KubeadmProfile;
    /** Extra kubelet flags. @default {} */
    readonly kubeletExtraArgs?: Readonly<Record<string, string>>;
    /** `kind create cluster --wait`, in seconds: the default of the lane's `clusterWaitSeconds`. @default 60 */
    readonly clusterWaitSeconds?: number;
    readonly images: Readonly<Record<string, LaneImage>>;
    /** Host ports by config key (`kubernaut-e2e:hostPorts.<key>`). */
    readonly ports: Readonly<Record<string, LanePort>>;
    readonly suite: SuiteIdentity;
    /**
     * Images the lane's Kubernaut suite starts Pods of, by the refs it hard-codes, and the toolchain's image that can
     * stand in for each: preloaded, so those Pods start without a registry. @default {}
     */
    readonly suiteImages?: Readonly<Record<string, ProfileImageRole>>;
    /** RemediationWorkflow fixtures of the checkout the lane seeds, by directory name. @default [] */
    readonly workflows?: readonly string[];
    /** Leaf certificates the inter-service CA issues besides DataStorage's. @default [] */
    readonly tlsLeaves?: readonly TlsLeaf[];
    /** Checkout files the lane reads beyond every lane's and its workflows'. @default [] */
    readonly files?: readonly Requirement[];
    /** The lane's own config keys (`kubernaut-e2e:<key>`), beyond every lane's. @default {} */
    readonly config?: z.ZodRawShape;
    /**
     * Why the lane cannot share an existing cluster with other stacks (it owns namespaces or cluster-wide software
     * beside its own namespace). @default - it can
     */
    readonly notShareable?: string;
}

/** The kubeadm flags of each profile (inventory §3: "standard", datastorage's and notification's). */
export function kubeadmFlags(profile: KubeadmProfile): {
    apiServerExtraArgs: Record<string, string>;
    controllerManagerExtraArgs: Record<string, string>;
    etcdExtraArgs: Record<string, string>;
} {
    const controllerManager = { "kube-api-qps": "100", "kube-api-burst": "200" };
    const highLoadEtcd = {
        "quota-backend-bytes": "8589934592",
        "snapshot-count": "100000",
        "heartbeat-interval": "500",
        "election-timeout": "5000",
    };
    const highLoadApi = { "max-requests-inflight": "1200", "max-mutating-requests-inflight": "600", "event-ttl": "1h" };
    switch (profile) {
        case "standard":
            return {
                apiServerExtraArgs: { "max-requests-inflight": "800", "max-mutating-requests-inflight": "400" },
                controllerManagerExtraArgs: controllerManager,
                etcdExtraArgs: {},
            };
        case "high-load":
            return {
                apiServerExtraArgs: highLoadApi,
                controllerManagerExtraArgs: controllerManager,
                etcdExtraArgs: highLoadEtcd,
            };
        case "high-load-webhook-cache":
            return {
                apiServerExtraArgs: {
                    ...highLoadApi,
                    "authentication-token-webhook-cache-ttl": "10s",
                    "authorization-webhook-cache-authorized-ttl": "5m",
                    "authorization-webhook-cache-unauthorized-ttl": "30s",
                },
                controllerManagerExtraArgs: controllerManager,
                etcdExtraArgs: highLoadEtcd,
            };
        case "none":
            return { apiServerExtraArgs: {}, controllerManagerExtraArgs: {}, etcdExtraArgs: {} };
    }
}

/**
 * Where a stack of a lane keeps its things: Kubernaut's cluster name for the lane's own stack (any other stack of the
 * lane, e.g. `signalprocessing-e2e-alice`, is named after itself), unless the config names one.
 */
export function laneScope(
    spec: LaneSpec | undefined,
    stack: string,
    config: { clusterName?: unknown; kubeconfigPath?: unknown },
): StackScope {
    const clusterName =
        typeof config.clusterName === "string"
            ? config.clusterName
            : spec && stack === spec.stack
              ? spec.kubernautCluster
              : undefined;
    return stackScope(stack, {
        clusterName,
        kubeconfigPath: typeof config.kubeconfigPath === "string" ? config.kubeconfigPath : undefined,
    });
}
