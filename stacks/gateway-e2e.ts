/**
 * gateway-e2e: Kubernaut's Gateway lane (inventory §4.2) — the Gateway on the DataStorage spine, the ActionType
 * catalogue, and the suite's identity with its Gateway client role (`stacks/lanes.ts`).
 */
import { defineLane } from "../components/lane/define-lane.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { LANES } from "./lanes.js";
import { gateway } from "./services/gateway.js";

export default defineLane(LANES["gateway-e2e"], {
    build(lane) {
        gateway(lane);
        new ActionTypes("action-types", {
            ...lane.placement,
            crds: lane.spine.crds,
            registration: { by: "status", kubeconfigPath: lane.scope.kubeconfigPath },
        });
        return {
            gatewayUrl: lane.hostUrl("gateway", "http"),
            gatewayHealthUrl: lane.hostUrl("gatewayHealth", "http"),
            gatewayMetricsUrl: lane.hostUrl("gatewayMetrics", "http", "/metrics"),
        };
    },
});
