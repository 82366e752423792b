import * as pulumi from "@pulumi/pulumi";
import { engineFlags } from "../lib/engine.js";
import { request, Step } from "./local/step.js";
import type { DeliveredImage } from "./delivered-image.js";
import type { LocalImage } from "./local-image.js";
import type { KindCluster } from "./kind-cluster.js";

export interface ImageLoadArgs {
    /** The image to load, built or pulled; the load waits until it exists locally. */
    readonly image: LocalImage;
    /** The cluster to load it into; the load waits for the cluster. */
    readonly cluster: KindCluster;
    /** Directory for the temporary archive (`stackScope().archiveDir`); each archive is removed after its load. */
    readonly archiveDir: string;
}

/**
 * One image put into one kind cluster, Podman-safe: `<engine> save` to an archive, then `kind load image-archive`.
 *
 * It depends on its image and its cluster only, so each load starts as soon as both are there. It runs again only
 * when the image ref (its content) or the cluster identity (a re-created cluster) changes.
 */
export class ImageLoad extends pulumi.ComponentResource implements DeliveredImage {
    static readonly TYPE = "kubernaut-e2e:components:ImageLoad";

    /**
     * The loaded image's ref, for Pod specs. A plain string so that preview shows the exact new tag in every Pod
     * diff; objects that run the image depend on this component to wait for the load.
     */
    readonly imageRef: string;
    /** A loaded image exists only in the node: a pull would fail. */
    readonly pullPolicy = "Never";
    readonly load: Step;

    constructor(name: string, args: ImageLoadArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const { image, cluster } = args;
        if (image.engine.name !== cluster.engine.name) {
            throw new pulumi.RunError(
                `ImageLoad "${name}": \`image\` is built with ${image.engine.name} but \`cluster\` runs on ${cluster.engine.name}; use one engine for both`,
            );
        }
        super(ImageLoad.TYPE, name, {}, opts);

        const load = request("load", "image", {
            image: image.imageRef,
            cluster: cluster.clusterName,
            "archive-dir": args.archiveDir,
            ...engineFlags(image.engine),
        });
        this.load = new Step(
            `${name}-load`,
            { create: load, triggers: [image.imageRef, cluster.identity] },
            { parent: this, dependsOn: [image.ready, cluster.create] },
        );
        this.imageRef = image.imageRef;

        this.registerOutputs({ imageRef: this.imageRef });
    }
}
