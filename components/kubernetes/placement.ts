import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterTarget } from "../cluster-target.js";

/** What every component that creates Kubernetes objects is given: where to put them. */
export interface ClusterPlacement {
    /** Cluster whose provider creates the objects. */
    readonly cluster: ClusterTarget;
    /** Namespace of the namespaced objects. */
    readonly namespace: k8s.core.v1.Namespace;
}

/** Options for a Kubernetes child of `parent`. */
export function childOptions(parent: pulumi.Resource, placement: ClusterPlacement, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return placement.cluster.objectOptions({ ...extra, parent });
}
