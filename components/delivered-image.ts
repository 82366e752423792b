import type * as pulumi from "@pulumi/pulumi";

/**
 * An image a cluster can run: the ref for Pod specs, on a resource the Pods wait for. An `ImageLoad` (archive into a
 * kind node), a `ContainerImage` built with a `registry` (pushed), or a `RegistryCopy` (a local image pushed).
 */
export interface DeliveredImage extends pulumi.Resource {
    /** Known at plan time, so `preview` shows the exact ref in every Pod diff. */
    readonly imageRef: string;
    /** `Never` for an image loaded into the node (a pull would fail), `IfNotPresent` for one the node pulls. */
    readonly pullPolicy: "Never" | "IfNotPresent";
}
