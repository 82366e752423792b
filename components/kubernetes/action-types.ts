import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { stepCommand } from "../../lib/step-command.js";
import { renderManifest } from "../../lib/template.js";
import type { Crds } from "./crds.js";

export interface ActionTypesArgs extends ClusterPlacement {
    readonly crds: Crds;
    /** The cluster's kubeconfig file, for the status patch. */
    readonly kubeconfigPath: string;
    /** Seed list under `manifests/`. @default "signalprocessing/action-types.yaml" */
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
        const seed = parse(renderManifest(args.manifest ?? "signalprocessing/action-types.yaml")) as { status: Record<string, unknown>; actionTypes: string[] };
        const { apiVersion, resource } = args.crds.resourceOf("ActionType");
        super(ActionTypes.TYPE, name, {}, opts);
        this.names = seed.actionTypes;
        const namespace = args.namespace.metadata.name;

        const objects = this.names.map((actionType) => new k8s.apiextensions.CustomResource(`${name}-${actionType}`, {
            apiVersion,
            kind: "ActionType",
            metadata: { name: actionType, namespace },
            spec: { name: actionType },
        }, childOptions(this, args, { dependsOn: [args.crds] })));

        stepCommand(`${name}-status`, {
            step: "kube",
            create: "patch-status",
            args: pulumi.all([namespace]).apply(([ns]) => [
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
