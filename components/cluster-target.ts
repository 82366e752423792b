import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/**
 * Where a stack's Kubernetes objects go: a kind cluster the stack owns (`KindCluster`), or one that exists and other
 * stacks may share (`ExistingCluster`). Components take this, never a concrete cluster.
 */
export interface ClusterTarget {
    /** The kind cluster's name, or the kubeconfig context of an existing cluster. */
    readonly clusterName: string;
    /** A kubeconfig file for this stack's steps and test processes (mode 0600). */
    readonly kubeconfigPath: string;
    /** Kubeconfig contents: a secret. */
    readonly kubeconfig: pulumi.Output<string>;
    /** Changes only when the cluster is a different one; steps that act on the cluster re-run when it does. */
    readonly identity: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    /**
     * Whether other stacks may have objects on this cluster (then names must not collide, and NodePorts are not used).
     */
    readonly shared: boolean;
    /** After this resource, the cluster answers and `kubeconfigPath` exists. */
    readonly ready: pulumi.Resource;
    /** Options for a Kubernetes object on this cluster. */
    objectOptions(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
}

/**
 * The NodePort a Service port gets on `cluster`: the lane's own on a kind cluster; none on a shared one, where ten
 * lanes' fixed NodePorts would collide and the Service is reached by its cluster DNS name instead (the lane's port
 * table names the Service behind each port for that).
 */
export function nodePortOn(cluster: ClusterTarget, nodePort: number | undefined): number | undefined {
    return cluster.shared ? undefined : nodePort;
}
