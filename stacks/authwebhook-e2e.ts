/**
 * authwebhook-e2e: Kubernaut's AuthWebhook lane (inventory §4.4) — the AuthWebhook and its admission webhooks on the
 * DataStorage spine (PostgreSQL and Redis published for the suite), ActionTypes registered through admission.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { LANES } from "./lanes.js";
import { authWebhook } from "./services/auth-webhook.js";

export default defineLane(LANES["authwebhook-e2e"], {
    build(lane) {
        const webhook = authWebhook(lane, lane.nodePort("authWebhook"));
        new ActionTypes("action-types", {
            ...lane.placement,
            crds: lane.spine.crds,
            registration: { by: "admission", after: webhook.configurations },
        });
        return { authWebhookUrl: lane.hostUrl("authWebhook", "https"), redisAddress: lane.hostAddress("redis") };
    },
});
