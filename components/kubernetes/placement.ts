import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { CONTROL_PLANE_PLACEMENT } from "../../lib/k8s.js";
import type { ClusterTarget } from "../cluster-target.js";

/** What every component that creates Kubernetes objects is given: where to put them. */
export interface ClusterPlacement {
    /** Cluster whose provider creates the objects. */
    readonly cluster: ClusterTarget;
    /** Namespace of the namespaced objects. */
    readonly namespace: k8s.core.v1.Namespace;
}

/** Options for a Kubernetes child of `parent`. */
export function childOptions(
    parent: pulumi.Resource,
    placement: ClusterPlacement,
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    return placement.cluster.objectOptions({ ...extra, parent });
}

/**
 * The pod placement of a service that sits on the control plane on kind, where the port mappings live; on a shared
 * cluster (no NodePorts, a control plane that rarely takes workloads) none.
 */
export function controlPlanePlacement(cluster: ClusterTarget): typeof CONTROL_PLANE_PLACEMENT | Record<string, never> {
    return cluster.shared ? {} : CONTROL_PLANE_PLACEMENT;
}
