import type * as pulumi from "@pulumi/pulumi";
import type { ContainerEngine } from "../lib/engine.js";

/**
 * An image present in an engine's local store once `ready` has run: built (`ContainerImage`) or pulled
 * (`PulledImage`). `ImageLoad` accepts either.
 */
export interface LocalImage {
    /** The reference, known at plan time. */
    readonly imageRef: string;
    readonly engine: ContainerEngine;
    /** The resource after which the image exists locally. */
    readonly ready: pulumi.Resource;
}
