/**
 * The catalogue a lane seeds: Kubernaut's 11 ActionTypes, then the lane's RemediationWorkflow fixtures
 * (`LaneSpec.workflows`) once the ActionTypes they name are registered — by status patch where the lane runs no
 * AuthWebhook, through its admission where it does (after `webhook`).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LaneWith } from "../../components/lane/lane.js";
import { ActionTypes } from "../../components/kubernetes/action-types.js";
import { RemediationWorkflows } from "../../components/kubernetes/remediation-workflows.js";

export interface Catalogue {
    readonly actionTypes: ActionTypes;
    readonly workflows: RemediationWorkflows;
}

export function catalogue(
    lane: LaneWith<never> & { readonly spec: { readonly workflows?: readonly string[] } },
    webhook?: readonly pulumi.Resource[],
): Catalogue {
    const { placement, spine, source, scope } = lane;
    const actionTypes = new ActionTypes("action-types", {
        ...placement,
        crds: spine.crds,
        registration: webhook
            ? { by: "admission", after: webhook }
            : { by: "status", kubeconfigPath: scope.kubeconfigPath },
    });
    const after = actionTypes.registered;
    const workflows = new RemediationWorkflows("workflows", {
        ...placement,
        source,
        crds: spine.crds,
        fixtures: lane.spec.workflows ?? [],
        registration: webhook
            ? { by: "admission", after }
            : { by: "status", kubeconfigPath: scope.kubeconfigPath, after },
    });
    return { actionTypes, workflows };
}
