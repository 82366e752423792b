/**
 * kind's `kind.x-k8s.io/v1alpha4` Cluster type (pkg/apis/config/v1alpha4/types.go, kind v0.32) as a strict schema:
 * an unknown field fails, as kind's own strict decoding does. Rendered configs are checked against it before the
 * cluster command is registered.
 */
import { z } from "zod";

const port = z.number().int().min(0).max(65535);

const PortMapping = z.strictObject({
    containerPort: port,
    hostPort: port.optional(),
    listenAddress: z.string().optional(),
    protocol: z.enum(["TCP", "UDP", "SCTP"]).optional(),
});

const Mount = z.strictObject({
    containerPath: z.string().min(1),
    hostPath: z.string().min(1),
    readOnly: z.boolean().optional(),
    selinuxRelabel: z.boolean().optional(),
    propagation: z.enum(["None", "HostToContainer", "Bidirectional"]).optional(),
});

const PatchJSON6902 = z.strictObject({
    group: z.string(),
    version: z.string(),
    kind: z.string(),
    patch: z.string(),
});

const Node = z.strictObject({
    role: z.enum(["control-plane", "worker"]),
    image: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    extraMounts: z.array(Mount).optional(),
    extraPortMappings: z.array(PortMapping).optional(),
    kubeadmConfigPatches: z.array(z.string()).optional(),
    kubeadmConfigPatchesJSON6902: z.array(PatchJSON6902).optional(),
});

const Networking = z.strictObject({
    ipFamily: z.enum(["ipv4", "ipv6", "dual"]).optional(),
    apiServerPort: z.number().int().min(-1).max(65535).optional(),
    apiServerAddress: z.string().optional(),
    podSubnet: z.string().optional(),
    serviceSubnet: z.string().optional(),
    disableDefaultCNI: z.boolean().optional(),
    kubeProxyMode: z.enum(["iptables", "ipvs", "nftables", "none"]).optional(),
    dnsSearch: z.array(z.string()).optional(),
});

export const KindClusterConfig = z.strictObject({
    kind: z.literal("Cluster"),
    apiVersion: z.literal("kind.x-k8s.io/v1alpha4"),
    name: z.string().optional(),
    featureGates: z.record(z.string(), z.boolean()).optional(),
    runtimeConfig: z.record(z.string(), z.string()).optional(),
    networking: Networking.optional(),
    nodes: z.array(Node).min(1).optional(),
    kubeadmConfigPatches: z.array(z.string()).optional(),
    kubeadmConfigPatchesJSON6902: z.array(PatchJSON6902).optional(),
    containerdConfigPatches: z.array(z.string()).optional(),
    containerdConfigPatchesJSON6902: z.array(z.string()).optional(),
});

/** Problems with a config object, as `path: message` lines; empty when it is valid. */
export function kindConfigProblems(config: unknown): string[] {
    const result = KindClusterConfig.safeParse(config);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}
