/**
 * The kind `v1alpha4` cluster config rendered from typed arguments. Pure: no engine, no files.
 *
 * @see https://kind.sigs.k8s.io/docs/user/configuration/
 */
import { stringify } from "yaml";

export interface PortMapping {
    /** Port on the node (a Service's NodePort). */
    readonly containerPort: number;
    /** Port on the host. Must be unique among all stacks that may run at once. */
    readonly hostPort: number;
    /**
     * Host address to listen on. Loopback keeps E2E ports off the network and sidesteps the IPv6 `localhost` trap
     * Kubernaut's DD-TEST-001 (v2.3) records.
     * @default "127.0.0.1"
     */
    readonly listenAddress?: string;
    /** @default "TCP" */
    readonly protocol?: "TCP" | "UDP" | "SCTP";
}

export interface Mount {
    /** Directory on the host; must exist before the cluster is created (Podman refuses missing sources). */
    readonly hostPath: string;
    /** Path inside the node container. */
    readonly containerPath: string;
    /** @default false */
    readonly readOnly?: boolean;
}

export interface KindConfigInput {
    readonly nodeImage: string;
    readonly extraPortMappings: readonly PortMapping[];
    readonly extraMounts: readonly Mount[];
    readonly apiServerExtraArgs: Readonly<Record<string, string>>;
    readonly controllerManagerExtraArgs: Readonly<Record<string, string>>;
    readonly etcdExtraArgs: Readonly<Record<string, string>>;
    readonly kubeletExtraArgs: Readonly<Record<string, string>>;
    /** Raw kubeadm patches appended after the typed ones. */
    readonly kubeadmConfigPatches: readonly string[];
    /** TOML patches of the node's containerd config. @default - none */
    readonly containerdConfigPatches?: readonly string[];
}

/** The config object, in kind's own field names and order. */
export function kindConfig(input: KindConfigInput): Record<string, unknown> {
    const node: Record<string, unknown> = { role: "control-plane", image: input.nodeImage };
    if (input.extraPortMappings.length) {
        node.extraPortMappings = input.extraPortMappings.map((m) => ({
            containerPort: m.containerPort,
            hostPort: m.hostPort,
            listenAddress: m.listenAddress ?? "127.0.0.1",
            protocol: m.protocol ?? "TCP",
        }));
    }
    if (input.extraMounts.length) {
        node.extraMounts = input.extraMounts.map((m) => ({
            hostPath: m.hostPath,
            containerPath: m.containerPath,
            readOnly: m.readOnly ?? false,
        }));
    }
    const patches = [...kubeadmPatches(input), ...input.kubeadmConfigPatches];
    return {
        kind: "Cluster",
        apiVersion: "kind.x-k8s.io/v1alpha4",
        nodes: [node],
        ...(patches.length ? { kubeadmConfigPatches: patches } : {}),
        ...(input.containerdConfigPatches?.length
            ? { containerdConfigPatches: [...input.containerdConfigPatches] }
            : {}),
    };
}

export function renderKindConfig(input: KindConfigInput): string {
    return stringify(kindConfig(input), { lineWidth: 0 });
}

/** kubeadm accepts only strings as extra args, so every value is quoted by the YAML writer. */
function kubeadmPatches(input: KindConfigInput): string[] {
    const patches: string[] = [];
    const cluster: Record<string, unknown> = {};
    if (Object.keys(input.apiServerExtraArgs).length)
        cluster.apiServer = { extraArgs: { ...input.apiServerExtraArgs } };
    if (Object.keys(input.controllerManagerExtraArgs).length)
        cluster.controllerManager = { extraArgs: { ...input.controllerManagerExtraArgs } };
    if (Object.keys(input.etcdExtraArgs).length) cluster.etcd = { local: { extraArgs: { ...input.etcdExtraArgs } } };
    if (Object.keys(cluster).length)
        patches.push(
            stringify(
                { kind: "ClusterConfiguration", ...cluster },
                { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" },
            ),
        );
    if (Object.keys(input.kubeletExtraArgs).length) {
        patches.push(
            stringify(
                { kind: "InitConfiguration", nodeRegistration: { kubeletExtraArgs: { ...input.kubeletExtraArgs } } },
                { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" },
            ),
        );
    }
    return patches;
}
