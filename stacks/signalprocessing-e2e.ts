/**
 * signalprocessing-e2e: everything Kubernaut's SignalProcessing lane brings up (inventory §4.1), as one graph: the
 * controller on the DataStorage spine, with the Rego policy Kubernaut's own E2E setup applies, and the ActionTypes.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { LANES } from "./lanes.js";
import { signalProcessing } from "./services/signalprocessing.js";

/** Where Kubernaut's SP E2E setup holds the ConfigMap of its unified policy. */
const E2E_SETUP = "test/infrastructure/signalprocessing_e2e_hybrid.go";

export default defineLane(LANES["signalprocessing-e2e"], {
    files: ({ policyFile }) => [
        policyFile ? { path: policyFile, kind: "file", key: "policyFile" } : { path: E2E_SETUP, kind: "file" },
    ],
    inputs: ({ config, source }) =>
        config.policyFile
            ? source.read(config.policyFile)
            : source.embeddedConfigMapData(
                  E2E_SETUP,
                  "signalprocessing-policy",
                  "policy.rego",
                  "set `kubernaut-e2e:policyFile` to the policy file instead",
              ),
    build(lane, policy) {
        signalProcessing(lane, policy);
        new ActionTypes("action-types", {
            ...lane.placement,
            crds: lane.spine.crds,
            registration: { by: "status", kubeconfigPath: lane.scope.kubeconfigPath },
        });
        return { signalProcessingMetricsUrl: lane.hostUrl("signalProcessingMetrics", "http", "/metrics") };
    },
});
