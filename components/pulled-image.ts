import * as pulumi from "@pulumi/pulumi";
import { engineFlags, type ContainerEngine } from "../lib/engine.js";
import { imageReferenceProblem } from "../lib/names.js";
import { Problems } from "../lib/problems.js";
import { request, Step } from "./local/step.js";
import type { LocalImage } from "./local-image.js";

export interface PulledImageArgs {
    /** A third-party image, e.g. `docker.io/library/postgres:16-alpine`. */
    readonly imageRef: string;
    /** Engine whose store receives it. */
    readonly engine: ContainerEngine;
    /**
     * A local image tagged as `imageRef` instead of pulling it, where no registry serves it (an offline toolchain's
     * stand-in). @default - pulled
     */
    readonly standIn?: string;
}

/**
 * A third-party image pulled once on the host, so it can be loaded into each new cluster instead of every cluster
 * pulling it again. The pull is skipped when the image is already present; with a stand-in, nothing is pulled and the
 * stand-in is tagged under the image's name (the name the lane's manifests or its suite use).
 */
export class PulledImage extends pulumi.ComponentResource implements LocalImage {
    static readonly TYPE = "kubernaut-e2e:components:PulledImage";

    readonly imageRef: string;
    readonly engine: ContainerEngine;
    readonly ready: Step;

    constructor(name: string, args: PulledImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        problems.check("imageRef", imageReferenceProblem(args.imageRef));
        if (args.standIn !== undefined) problems.check("standIn", imageReferenceProblem(args.standIn));
        problems.throwIfAny(`PulledImage "${name}"`);
        super(PulledImage.TYPE, name, {}, opts);

        this.imageRef = args.imageRef;
        this.engine = args.engine;
        const image = { image: args.imageRef, ...engineFlags(args.engine) };
        const standIn = args.standIn ? { "stand-in": args.standIn } : {};
        this.ready = new Step(
            `${name}-pull`,
            {
                create: request("image", "pull", { ...image, ...standIn }),
                observe: request("image", "exists", image),
                triggers: [args.imageRef, ...(args.standIn ? [args.standIn] : [])],
            },
            { parent: this },
        );
        this.registerOutputs({ imageRef: this.imageRef });
    }
}
