/**
 * effectivenessmonitor-e2e: Kubernaut's EffectivenessMonitor lane (inventory §4.9) — the monitor on the DataStorage
 * spine with Prometheus and AlertManager (where the suite injects metrics and alerts), and the AuthWebhook; the
 * suite's target-Pod image is preloaded (`suiteImages` in `lanes.ts`).
 */
import { defineLane } from "../components/lane/define-lane.js";
import { LANES } from "./lanes.js";
import { authWebhook } from "./services/auth-webhook.js";
import { effectivenessMonitor } from "./services/effectivenessmonitor.js";
import { observability } from "./services/observability.js";

export default defineLane(LANES["effectivenessmonitor-e2e"], {
    build(lane) {
        const { prometheus, alertManager } = observability(lane);
        effectivenessMonitor(lane, [prometheus, alertManager]);
        authWebhook(lane);
        return {
            prometheusUrl: lane.hostUrl("prometheus", "http"),
            alertManagerUrl: lane.hostUrl("alertManager", "http"),
        };
    },
});
