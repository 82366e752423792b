import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awaitTimeout } from "../../lib/k8s.js";
import { manifestData } from "../../lib/template.js";
import { request, Step } from "../local/step.js";
import type { Crds } from "./crds.js";
import { childOptions, type ClusterPlacement } from "./placement.js";

/** One entry of the seed list: the object's name, the catalogue's name for it, and its description. */
interface ActionTypeSeed {
    readonly name: string;
    readonly specName: string;
    readonly what: string;
    readonly whenToUse: string;
}

/**
 * How the catalogue learns of the ActionTypes: `status` writes their status through the status subresource
 * (`kube patch-status`), as Kubernaut's seeder does where no AuthWebhook runs; `admission` creates them once the
 * AuthWebhook admits them (`after` its webhook configurations) and waits for the status the webhook writes.
 */
export type ActionTypeRegistration =
    | { readonly by: "status"; readonly kubeconfigPath: string }
    | { readonly by: "admission"; readonly after: readonly pulumi.Resource[] };

export interface ActionTypesArgs extends ClusterPlacement {
    readonly crds: Crds;
    readonly registration: ActionTypeRegistration;
    /** Seconds to wait for each ActionType's registration under `admission` (Kubernaut's wait). @default 60 */
    readonly registerTimeoutSeconds?: number;
    /** Seed list under `manifests/`. @default "catalog/action-types.yaml" */
    readonly manifest?: string;
}

/** The 11 ActionTypes every Kubernaut lane's catalogue starts with (inventory §2.7), registered one of two ways. */
export class ActionTypes extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:ActionTypes";

    readonly names: string[];
    /** The ActionType objects, for what must follow their registration (RemediationWorkflows). */
    readonly registered: pulumi.Resource[];

    constructor(name: string, args: ActionTypesArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const seed = manifestData<{ status: Record<string, unknown>; actionTypes: ActionTypeSeed[] }>(
            args.manifest ?? "catalog/action-types.yaml",
        );
        const { apiVersion, resource } = args.crds.resourceOf("ActionType");
        super(ActionTypes.TYPE, name, {}, opts);
        this.names = seed.actionTypes.map((a) => a.name);
        const namespace = args.namespace.metadata.name;
        const admission = args.registration.by === "admission";
        const annotations = admission
            ? {
                  "pulumi.com/waitFor": "jsonpath={.status.registered}=true",
                  ...awaitTimeout(args.registerTimeoutSeconds ?? 60),
              }
            : undefined;
        const after = args.registration.by === "admission" ? args.registration.after : [];

        const objects = seed.actionTypes.map(
            (actionType) =>
                new k8s.apiextensions.CustomResource(
                    `${name}-${actionType.name}`,
                    {
                        apiVersion,
                        kind: "ActionType",
                        metadata: { name: actionType.name, namespace, ...(annotations ? { annotations } : {}) },
                        spec: {
                            name: actionType.specName,
                            description: { what: actionType.what, whenToUse: actionType.whenToUse },
                        },
                    },
                    childOptions(this, args, { dependsOn: [args.crds, ...after] }),
                ),
        );
        this.registered = objects;

        if (args.registration.by === "status") {
            const status = new Step(
                `${name}-status`,
                {
                    create: request("kube", "patch-status", {
                        kubeconfig: args.registration.kubeconfigPath,
                        namespace,
                        resource,
                        name: this.names,
                        patch: [JSON.stringify({ status: seed.status })],
                    }),
                    // A re-created cluster has new objects whose status must be written again.
                    triggers: [args.cluster.identity, this.names, seed.status],
                },
                { parent: this, dependsOn: objects },
            );
            this.registered = [status];
        }
        this.registerOutputs({ names: this.names });
    }
}
