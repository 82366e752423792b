import * as pulumi from "@pulumi/pulumi";
import { engineFlags } from "../lib/engine.js";
import { registryRef, type Registry } from "../lib/registry.js";
import type { DeliveredImage } from "./delivered-image.js";
import type { LocalImage } from "./local-image.js";
import { request, Step } from "./local/step.js";

export interface RegistryCopyArgs {
    /** A local image (pulled, imported or built), copied once it is there. */
    readonly image: LocalImage;
    /** Where it goes: `<registry>/<prefix>/<path>:<tag>`. */
    readonly registry: Registry;
}

/**
 * A local image pushed into the registry under the registry's name for it, unless the registry has that ref: how a
 * third-party image (PostgreSQL, Redis, …) reaches a cluster that pulls everything from the registry. The tag is the
 * source's, so a source re-tagged upstream is not pushed again; give such images versioned tags.
 */
export class RegistryCopy extends pulumi.ComponentResource implements DeliveredImage {
    static readonly TYPE = "kubernaut-e2e:components:RegistryCopy";

    readonly imageRef: string;
    readonly pullPolicy = "IfNotPresent";
    readonly push: Step;

    constructor(name: string, args: RegistryCopyArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(RegistryCopy.TYPE, name, {}, opts);
        this.imageRef = registryRef(args.registry, args.image.imageRef);
        const insecure = args.registry.insecure || undefined;
        this.push = new Step(
            `${name}-push`,
            {
                create: request("image", "push", {
                    image: args.image.imageRef,
                    to: this.imageRef,
                    "insecure-registry": insecure,
                    ...engineFlags(args.image.engine),
                }),
                observe: request("image", "exists", {
                    image: this.imageRef,
                    "in-registry": true,
                    "insecure-registry": insecure,
                    ...engineFlags(args.image.engine),
                }),
                triggers: [this.imageRef],
            },
            { parent: this, dependsOn: [args.image.ready] },
        );
        this.registerOutputs({ imageRef: this.imageRef });
    }
}
