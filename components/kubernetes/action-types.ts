import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { Step } from "../local/step.js";
import { renderManifest } from "../../lib/template.js";
import type { Crds } from "./crds.js";

/** One entry of the seed list: the object's name, the catalogue's name for it, and its description. */
interface ActionTypeSeed {
    readonly name: string;
    readonly specName: string;
    readonly what: string;
    readonly whenToUse: string;
}

export interface ActionTypesArgs extends ClusterPlacement {
    readonly crds: Crds;
    /** The cluster's kubeconfig file, for the status patch. */
    readonly kubeconfigPath: string;
    /** Seed list under `manifests/`. @default "catalog/action-types.yaml" */
    readonly manifest?: string;
}

/**
 * The ActionType catalogue a lane without the AuthWebhook needs: one ActionType per entry, then their `status`
 * written through the status subresource (`kube patch-status`), as Kubernaut's seeder does.
 */
export class ActionTypes extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:ActionTypes";

    readonly names: string[];

    constructor(name: string, args: ActionTypesArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const seed = parse(renderManifest(args.manifest ?? "catalog/action-types.yaml")) as { status: Record<string, unknown>; actionTypes: ActionTypeSeed[] };
        const { apiVersion, resource } = args.crds.resourceOf("ActionType");
        super(ActionTypes.TYPE, name, {}, opts);
        this.names = seed.actionTypes.map((a) => a.name);
        const namespace = args.namespace.metadata.name;

        const objects = seed.actionTypes.map((actionType) => new k8s.apiextensions.CustomResource(`${name}-${actionType.name}`, {
            apiVersion,
            kind: "ActionType",
            metadata: { name: actionType.name, namespace },
            spec: { name: actionType.specName, description: { what: actionType.what, whenToUse: actionType.whenToUse } },
        }, childOptions(this, args, { dependsOn: [args.crds] })));

        new Step(`${name}-status`, {
            step: "kube",
            create: pulumi.all([namespace]).apply(([ns]) => [
                "patch-status",
                "--kubeconfig", args.kubeconfigPath,
                "--namespace", ns,
                "--resource", resource,
                ...this.names.flatMap((n) => ["--name", n]),
                "--patch", JSON.stringify({ status: seed.status }),
            ]),
            // A re-created cluster has new objects whose status must be written again.
            triggers: [args.cluster.identity, this.names, seed.status],
        }, { parent: this, dependsOn: objects });

        this.registerOutputs({ names: this.names });
    }
}
