/**
 * A Kubernaut lane's facts as data: the images it builds, its port table, its kind profile and its namespace. The
 * stack's config schema, its `hostPorts()`, its kind port mappings and its URLs all derive from this one record, so a
 * port is written once (inventory §3 and §4 for each lane's values).
 */
import { z } from "zod";
import { commonConfig, refineWith } from "../../lib/config.js";
import type { NamedPorts } from "../../lib/host-ports.js";
import { imageReferenceProblem } from "../../lib/names.js";
import { stackScope, type StackScope } from "../../lib/stack-scope.js";

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
     * service does not rebuild this one. `[]`: the image builds no Go code of the checkout. @default - the whole checkout counts
     */
    readonly go?: readonly string[];
}

/** A NodePort of the cluster published on a host port. */
export interface LanePort {
    readonly nodePort: number;
    /** Default host port (DD-TEST-001, unique across every lane of this project). */
    readonly hostPort: number;
    /** Why the default differs from Kubernaut's, where it does. */
    readonly changed?: string;
}

/** Extra kube-apiserver/etcd flags some lanes set (inventory §3). */
export type KubeadmProfile = "standard" | "high-load" | "high-load-webhook-cache" | "none";

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
    /** `kind create cluster --wait`, in seconds. @default 60 */
    readonly clusterWaitSeconds?: number;
    readonly images: Readonly<Record<string, LaneImage>>;
    /** Host ports by config key (`kubernaut-e2e:hostPorts.<key>`). */
    readonly ports: Readonly<Record<string, LanePort>>;
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
    const highLoadEtcd = { "quota-backend-bytes": "8589934592", "snapshot-count": "100000", "heartbeat-interval": "500", "election-timeout": "5000" };
    const highLoadApi = { "max-requests-inflight": "1200", "max-mutating-requests-inflight": "600", "event-ttl": "1h" };
    switch (profile) {
        case "standard":
            return { apiServerExtraArgs: { "max-requests-inflight": "800", "max-mutating-requests-inflight": "400" }, controllerManagerExtraArgs: controllerManager, etcdExtraArgs: {} };
        case "high-load":
            return { apiServerExtraArgs: highLoadApi, controllerManagerExtraArgs: controllerManager, etcdExtraArgs: highLoadEtcd };
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

const port = () => z.number().int().min(1).max(65535);
const image = () => z.string().superRefine(refineWith(imageReferenceProblem));

/** The `hostPorts` key of a lane: one port per entry of its table, each defaulting to the table's host port. */
export function hostPortsSchema(spec: LaneSpec) {
    return z.strictObject(Object.fromEntries(Object.entries(spec.ports).map(([key, p]) => [key, port().default(p.hostPort)]))).prefault({});
}

/** Config keys every Kubernaut lane understands, on top of {@link commonConfig}. */
export function laneConfig(spec: LaneSpec) {
    return {
        ...commonConfig,
        /** Kubernaut checkout. @default - `KUBERNAUT_ROOT`, then `../kubernaut` */
        kubernautRoot: z.string().optional(),
        /** Build the `option` images with coverage and collect it (Kubernaut's `E2E_COVERAGE=true`). @default false */
        coverage: z.boolean().default(false),
        /** Pull third-party images once on the host and load them, instead of every new cluster pulling them. @default true */
        preloadThirdPartyImages: z.boolean().default(true),
        /**
         * `BUILDER_IMAGE` and `BASE_IMAGE` build arguments of Kubernaut's service Dockerfiles: where an air-gapped
         * mirror (or the offline toolchain's stand-ins) replaces the remote builder and base images.
         * @default - the Dockerfiles' own
         */
        builderImage: image().optional(),
        baseImage: image().optional(),
        /**
         * A Dockerfile to build instead of the checkout's, per image of the lane (a path; relative to this project, `~/`
         * is the home): for a Dockerfile that pins a remote image no build argument replaces, as db-migrate's goose
         * builder does (the toolchain's `toolchain/ubi/db-migrate.Dockerfile`). The context stays the checkout.
         * @default - the checkout's Dockerfile of each image
         */
        dockerfiles: z.strictObject(Object.fromEntries(Object.keys(spec.images).map((name) => [name, z.string().min(1).optional()]))).prefault({}),
        postgresImage: image().default("docker.io/library/postgres:16-alpine"),
        redisImage: image().default("quay.io/jordigilh/redis:7-alpine"),
        /** Password of the `slm_user` role; set it as a secret (`pulumi config set --secret`). @default "test_password" */
        postgresPassword: z.string().default("test_password"),
        /** Host ports (DD-TEST-001). */
        hostPorts: hostPortsSchema(spec),
        /**
         * Run on this existing cluster instead of a kind cluster of the stack's own: `kubeconfig` (its contents, set
         * with `pulumi config set --secret --path kubernaut-e2e:cluster.kubeconfig`) or `kubeconfigFile` (`~/` is the
         * home), and `context`. Needs `registry`; the lane then lives in the namespace named after the stack.
         * @default - a kind cluster
         */
        cluster: z.strictObject({
            kubeconfig: z.string().min(1).optional(),
            kubeconfigFile: z.string().min(1).optional(),
            context: z.string().min(1).optional(),
            /** `false` sets the CPU requests of the lane's containers to zero, so more lanes fit a small cluster. @default true */
            cpuRequests: z.boolean().optional(),
        }).refine((c) => (c.kubeconfig === undefined) !== (c.kubeconfigFile === undefined), "give `kubeconfig` or `kubeconfigFile`, one of them").optional(),
    };
}

/** The lane's host ports for a config, by config key: what `stacks/index.ts` checks across stacks. */
export function laneHostPorts(spec: LaneSpec, values: Record<string, unknown>): NamedPorts {
    // On an existing cluster the lane publishes nothing on this host.
    if (values.cluster !== undefined) return {};
    const ports = z.object({ hostPorts: hostPortsSchema(spec) }).parse({ hostPorts: values.hostPorts });
    return Object.fromEntries(Object.entries(ports.hostPorts).map(([k, v]) => [`hostPorts.${k}`, v as number]));
}

/**
 * Where a stack of a lane keeps its things: Kubernaut's cluster name for the lane's own stack (any other stack of the
 * lane, e.g. `signalprocessing-e2e-alice`, is named after itself), unless the config names one.
 */
export function laneScope(spec: LaneSpec | undefined, stack: string, config: { clusterName?: unknown; kubeconfigPath?: unknown }): StackScope {
    const clusterName = typeof config.clusterName === "string" ? config.clusterName : spec && stack === spec.stack ? spec.kubernautCluster : undefined;
    return stackScope(stack, { clusterName, kubeconfigPath: typeof config.kubeconfigPath === "string" ? config.kubeconfigPath : undefined });
}
