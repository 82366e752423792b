/**
 * kubernautagent-e2e: Kubernaut's Kubernaut Agent lane (inventory §4.10) — the agent with the mock LLM, Prometheus,
 * AlertManager and Dex (interactive logins) on the DataStorage spine, ActionTypes and nine RemediationWorkflows seeded,
 * the ambiguous-kind CRDs and the enrichment fixtures, and two suite identities.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { EnrichmentFixtures } from "../components/kubernetes/enrichment-fixtures.js";
import { LANES } from "./lanes.js";
import { catalogue } from "./services/catalogue.js";
import { kubernautAgent, mockLlm } from "./services/kubernautagent.js";
import { ambiguousKindCrds, dexLogins, secondSuiteIdentity } from "./services/kubernautagent-suite.js";
import { observability } from "./services/observability.js";

export default defineLane(LANES["kubernautagent-e2e"], {
    build(lane) {
        const { workflows } = catalogue(lane);
        const llm = mockLlm(lane, workflows, ["staging", "production"]);
        const testWidgets = ambiguousKindCrds(lane);
        const { prometheus, alertManager } = observability(lane);
        const dex = dexLogins(lane);
        const { outputs: agentUrls } = kubernautAgent(lane, {
            dexLogin: true,
            dependsOn: [llm, dex, testWidgets, prometheus, alertManager],
        });
        new EnrichmentFixtures("enrichment", { cluster: lane.cluster, image: lane.config.fixtureImage });
        const second = secondSuiteIdentity(lane);
        return {
            ...agentUrls,
            mcpUrl: lane.hostUrl("kubernautAgent", "https", "/api/v1/mcp"),
            prometheusUrl: lane.hostUrl("prometheus", "http"),
            alertManagerUrl: lane.hostUrl("alertManager", "http"),
            dexUrl: lane.hostUrl("dex", "https", "/dex"),
            secondSuiteServiceAccount: second.serviceAccountName,
            secondSuiteToken: second.token,
            workflowIds: workflows.workflowIds,
        };
    },
});
