import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { engineFlags, type ContainerEngine } from "../lib/engine.js";
import { clusterNameProblem, pinnedImageProblem } from "../lib/names.js";
import { Problems } from "../lib/problems.js";
import { CONTAINERD_CERTS_DIR, CONTAINERD_CONFIG_PATH_PATCH } from "../lib/registry.js";
import type { ClusterTarget } from "./cluster-target.js";
import { withoutCpuRequestsTransformation } from "./kubernetes/cpu-requests.js";
import { request, Step } from "./local/step.js";
import type { LocalImage } from "./local-image.js";
import { kindConfigProblems } from "./kind-cluster/config-schema.js";
import {
    kindConfig,
    renderKindConfig,
    type KindConfigInput,
    type Mount,
    type PortMapping,
} from "./kind-cluster/render-config.js";

export type { Mount, PortMapping } from "./kind-cluster/render-config.js";

export interface KindClusterArgs {
    /** kind cluster name (`^[a-z0-9.-]+$`, at most 50 characters). Derive it from the stack (`stackScope`). */
    readonly clusterName: string;
    /** Node image, pinned by digest: `kindest/node:<version>@sha256:<digest>`. */
    readonly nodeImage: string;
    /** Node ports published on the host. @default - no port mappings */
    readonly extraPortMappings?: readonly PortMapping[];
    /** Host directories mounted into the node; created if missing. @default - no mounts */
    readonly extraMounts?: readonly Mount[];
    /** kube-apiserver flags, without `--`. @default {} */
    readonly apiServerExtraArgs?: Readonly<Record<string, string>>;
    /** kube-controller-manager flags. @default {} */
    readonly controllerManagerExtraArgs?: Readonly<Record<string, string>>;
    /** etcd flags. @default {} */
    readonly etcdExtraArgs?: Readonly<Record<string, string>>;
    /** kubelet flags, e.g. `{ "sync-frequency": "10s" }`. @default {} */
    readonly kubeletExtraArgs?: Readonly<Record<string, string>>;
    /** Raw kubeadm patches (YAML documents) for anything the typed args do not cover. @default - none */
    readonly kubeadmConfigPatches?: readonly string[];
    /** Where the kubeconfig is written. */
    readonly kubeconfigPath: string;
    /** Directory for the cluster's record and rendered config (`stackScope().clusterStateDir`). */
    readonly stateDir: string;
    /** Engine the nodes run on (kind's provider); images loaded into the cluster must live in the same engine. */
    readonly engine: ContainerEngine;
    /** Seconds `kind create cluster --wait` waits for the control plane. @default 60 */
    readonly waitSeconds?: number;
    /**
     * Images whose builds must finish before the cluster is created. Kubernaut learned that a cluster created while
     * builds load the host can time out; pass `[]` to create the cluster at once instead.
     * @default - none
     */
    readonly waitForImages?: readonly LocalImage[];
    /** kind binary. @default - `KUBERNAUT_E2E_KIND`, then `kind` on PATH */
    readonly kindBin?: string;
    /**
     * Registries the node's containerd pulls from, each with its `hosts.toml` (see `containerdHostsToml`): the files
     * are written into the state directory, mounted at `/etc/containerd/certs.d`, and containerd told to read them.
     * @default - none: images arrive by archive loads
     */
    readonly registries?: readonly RegistryHosts[];
    /**
     * `false` sets the CPU requests of every workload in the cluster to zero (limits stay): the node's allocatable CPU
     * is the host's, which a lane's requests and its suite's Pods can exceed on two cores. @default true
     */
    readonly cpuRequests?: boolean;
}

export interface RegistryHosts {
    /** `host:port`, as image refs name the registry. */
    readonly host: string;
    /** containerd's `hosts.toml` for it. */
    readonly hostsToml: string;
}

type ResolvedKindClusterArgs = Required<Omit<KindClusterArgs, "kindBin">> &
    Pick<KindClusterArgs, "kindBin"> & { readonly containerdConfigPatches: readonly string[] };

/** Checks every argument and returns them with defaults applied; throws one error listing all problems. */
export function validateKindClusterArgs(name: string, args: KindClusterArgs): ResolvedKindClusterArgs {
    const problems = new Problems();
    problems.check("clusterName", clusterNameProblem(args.clusterName));
    problems.check("nodeImage", pinnedImageProblem(args.nodeImage));
    const seen = new Map<string, number>();
    (args.extraPortMappings ?? []).forEach((m, i) => {
        for (const field of ["containerPort", "hostPort"] as const) {
            if (!Number.isInteger(m[field]) || m[field] < 1 || m[field] > 65535) {
                problems.add(`extraPortMappings[${i}].${field}`, `${m[field]} is not a port number (1-65535)`);
            }
        }
        const key = `${m.listenAddress ?? "127.0.0.1"}:${m.hostPort}/${m.protocol ?? "TCP"}`;
        const first = seen.get(key);
        if (first !== undefined) {
            problems.add(
                `extraPortMappings[${i}].hostPort`,
                `${m.hostPort} is already used by \`extraPortMappings[${first}]\`; pick another port from DD-TEST-001`,
            );
        } else seen.set(key, i);
    });
    (args.extraMounts ?? []).forEach((m, i) => {
        if (!path.isAbsolute(m.hostPath))
            problems.add(
                `extraMounts[${i}].hostPath`,
                `\`${m.hostPath}\` must be absolute (kind resolves relative paths against whatever directory it runs in)`,
            );
        if (!path.posix.isAbsolute(m.containerPath))
            problems.add(`extraMounts[${i}].containerPath`, `\`${m.containerPath}\` must be absolute`);
    });
    (args.registries ?? []).forEach((r, i) => {
        if (!/^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(r.host))
            problems.add(`registries[${i}].host`, `\`${r.host}\` is not \`host:port\``);
    });
    const waitSeconds = args.waitSeconds ?? 60;
    if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 3600)
        problems.add("waitSeconds", `${waitSeconds} must be an integer from 0 to 3600`);
    problems.throwIfAny(`KindCluster "${name}"`);
    const registries = args.registries ?? [];
    const resolved = {
        ...args,
        registries,
        extraPortMappings: args.extraPortMappings ?? [],
        extraMounts: [
            ...(args.extraMounts ?? []),
            ...(registries.length
                ? [{ hostPath: certsDir(args.stateDir), containerPath: CONTAINERD_CERTS_DIR, readOnly: true }]
                : []),
        ],
        containerdConfigPatches: registries.length ? [CONTAINERD_CONFIG_PATH_PATCH] : [],
        apiServerExtraArgs: args.apiServerExtraArgs ?? {},
        controllerManagerExtraArgs: args.controllerManagerExtraArgs ?? {},
        etcdExtraArgs: args.etcdExtraArgs ?? {},
        kubeletExtraArgs: args.kubeletExtraArgs ?? {},
        kubeadmConfigPatches: args.kubeadmConfigPatches ?? [],
        waitSeconds,
        waitForImages: args.waitForImages ?? [],
        cpuRequests: args.cpuRequests ?? true,
    };
    // What the renderer produces must be what kind accepts; a raw patch or a renderer bug surfaces here, not in kind.
    for (const problem of kindConfigProblems(kindConfig(resolved))) problems.add("kind config", problem);
    problems.throwIfAny(`KindCluster "${name}"`);
    return resolved;
}

/** The host directory mounted as the node's `/etc/containerd/certs.d`. */
function certsDir(stateDir: string): string {
    return path.join(stateDir, "containerd-certs.d");
}

/**
 * A kind cluster, its kubeconfig and a Kubernetes provider for it.
 *
 * The config is rendered from typed args and travels inside the create command's inputs, so `preview --diff` shows
 * a config change (which re-creates the cluster: kind cannot change a running one). The provider's
 * `clusterIdentifier` is the control-plane container ID, so kubeconfig noise never replaces Kubernetes resources,
 * while a real re-creation replaces all of them. The program never calls kind: the create step's `observe` check
 * (`cluster status`) runs in the provider's diff, so a cluster deleted behind the stack's back shows as a replacement
 * in `preview`, and the next `up` re-creates it.
 */
export class KindCluster extends pulumi.ComponentResource implements ClusterTarget {
    static readonly TYPE = "kubernaut-e2e:components:KindCluster";

    readonly clusterName: string;
    readonly kubeconfigPath: string;
    readonly engine: ContainerEngine;
    /** The kind config, in kind's own field names. */
    readonly config: Record<string, unknown>;
    /** The kind config as the file kind reads (its identity: a new config is a new cluster). */
    readonly configYaml: string;
    /** Kubeconfig contents: a secret. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Control-plane container ID; changes only when the cluster is re-created. */
    readonly identity: pulumi.Output<string>;
    /** Provider for every Kubernetes object on this cluster. */
    readonly provider: k8s.Provider;
    /** Whether workloads keep their CPU requests (`KindClusterArgs.cpuRequests`). */
    private readonly cpuRequests: boolean;
    readonly create: Step;
    /** The stack's own cluster: nothing else has objects on it. */
    readonly shared = false;
    get ready(): Step {
        return this.create;
    }

    constructor(name: string, args: KindClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const resolved = validateKindClusterArgs(name, args);
        super(KindCluster.TYPE, name, {}, opts);

        this.clusterName = resolved.clusterName;
        this.kubeconfigPath = resolved.kubeconfigPath;
        this.engine = resolved.engine;
        this.config = kindConfig(resolved satisfies KindConfigInput);
        this.configYaml = renderKindConfig(resolved);
        this.create = this.createCluster(name, resolved);

        const result = this.create.result.apply((r) => r as { identity: string; kubeconfig: string });
        this.kubeconfig = pulumi.secret(result.apply((r) => r.kubeconfig));
        this.identity = pulumi.unsecret(result.apply((r) => r.identity));
        this.cpuRequests = resolved.cpuRequests;
        this.provider = new k8s.Provider(
            `${name}-provider`,
            {
                kubeconfig: this.kubeconfig,
                clusterIdentifier: pulumi.interpolate`kind-${this.clusterName}-${this.identity}`,
                // A kind cluster is disposable: when it is gone, destroy drops its objects from state instead of
                // failing.
                deleteUnreachable: true,
            },
            { parent: this, deletedWith: this.create },
        );

        this.registerOutputs({
            clusterName: this.clusterName,
            kubeconfigPath: this.kubeconfigPath,
            kubeconfig: this.kubeconfig,
            identity: this.identity,
        });
    }

    /**
     * Options for a Kubernetes object on this cluster: its provider, and `deletedWith` that provider, so that deleting
     * or re-creating the cluster does not delete (and await) each object first — they go with the cluster.
     *
     * `deletedWith` names the provider rather than the cluster's create step: when the cluster is re-created (a
     * delete-before-replace of that step), the engine (3.248) marks the step's dependents as deleted but not the step
     * itself, and it has already closed the old provider, so deleting an object through it fails with "the client
     * connection is closing". The provider is one of those dependents, so naming it skips those deletes.
     */
    objectOptions(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        const transformations = this.cpuRequests ? [] : [withoutCpuRequestsTransformation()];
        return {
            ...extra,
            provider: this.provider,
            deletedWith: this.provider,
            ...(transformations.length || extra.transformations
                ? { transformations: [...(extra.transformations ?? []), ...transformations] }
                : {}),
        };
    }

    private createCluster(name: string, resolved: ResolvedKindClusterArgs): Step {
        const cluster = {
            name: resolved.clusterName,
            kubeconfig: resolved.kubeconfigPath,
            "state-dir": resolved.stateDir,
            ...engineFlags(resolved.engine),
            kind: resolved.kindBin,
        };
        const mounts = resolved.extraMounts.map((m) => m.hostPath);
        const files = resolved.registries.map(
            (r) => `${path.join(certsDir(resolved.stateDir), r.host, "hosts.toml")}=${r.hostsToml}`,
        );
        return new Step(
            `${name}-create`,
            {
                create: request("cluster", "create", {
                    ...cluster,
                    "config-yaml": this.config,
                    "wait-seconds": resolved.waitSeconds,
                    "ensure-dir": mounts.length ? mounts : undefined,
                    "write-file": files.length ? files : undefined,
                }),
                delete: request("cluster", "delete", cluster),
                observe: request("cluster", "status", cluster),
                // kind cannot change a running cluster: a new config means a new cluster, under the same name.
                triggers: [this.configYaml],
                secretResult: true,
                deleteBeforeReplace: true,
            },
            {
                parent: this,
                dependsOn: resolved.waitForImages.map((image) => image.ready),
            },
        );
    }
}
