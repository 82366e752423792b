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
}

/**
 * A third-party image pulled once on the host, so it can be loaded into each new cluster instead of every cluster
 * pulling it again. The pull is skipped when the image is already present.
 */
export class PulledImage extends pulumi.ComponentResource implements LocalImage {
    static readonly TYPE = "kubernaut-e2e:components:PulledImage";

    readonly imageRef: string;
    readonly engine: ContainerEngine;
    readonly ready: Step;

    constructor(name: string, args: PulledImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        problems.check("imageRef", imageReferenceProblem(args.imageRef));
        problems.throwIfAny(`PulledImage "${name}"`);
        super(PulledImage.TYPE, name, {}, opts);

        this.imageRef = args.imageRef;
        this.engine = args.engine;
        const image = { image: args.imageRef, ...engineFlags(args.engine) };
        this.ready = new Step(
            `${name}-pull`,
            {
                create: request("image", "pull", image),
                observe: request("image", "exists", image),
                triggers: [args.imageRef],
            },
            { parent: this },
        );
        this.registerOutputs({ imageRef: this.imageRef });
    }
}
