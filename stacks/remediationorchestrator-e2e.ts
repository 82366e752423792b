/**
 * remediationorchestrator-e2e: Kubernaut's RemediationOrchestrator lane (inventory §4.5) — the orchestrator on the
 * DataStorage spine, then the AuthWebhook, whose admission registers the ActionTypes.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { LANES } from "./lanes.js";
import { authWebhook } from "./services/auth-webhook.js";
import { remediationOrchestrator } from "./services/remediationorchestrator.js";

export default defineLane(LANES["remediationorchestrator-e2e"], {
    build(lane) {
        remediationOrchestrator(lane);
        const webhook = authWebhook(lane);
        new ActionTypes("action-types", {
            ...lane.placement,
            crds: lane.spine.crds,
            registration: { by: "admission", after: webhook.configurations },
        });
        return {
            remediationOrchestratorMetricsUrl: lane.hostUrl("remediationOrchestratorMetrics", "http", "/metrics"),
        };
    },
});
