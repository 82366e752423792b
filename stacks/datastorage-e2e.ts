/**
 * datastorage-e2e: Kubernaut's DataStorage lane (inventory §4.3) — the spine alone, its PostgreSQL published for the
 * suite's direct queries, the ActionType catalogue, and the suite's client identity.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { LANES } from "./lanes.js";

export default defineLane(LANES["datastorage-e2e"], {
    build(lane) {
        new ActionTypes("action-types", {
            ...lane.placement,
            crds: lane.spine.crds,
            registration: { by: "status", kubeconfigPath: lane.scope.kubeconfigPath },
        });
    },
});
