/**
 * aianalysis-e2e: Kubernaut's AIAnalysis lane (inventory §4.7) — the controller with Kubernaut Agent and the mock
 * LLM on the DataStorage spine, the ActionTypes and six RemediationWorkflows seeded, and the enrichment fixtures.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { EnrichmentFixtures } from "../components/kubernetes/enrichment-fixtures.js";
import { LANES } from "./lanes.js";
import { aiAnalysis } from "./services/aianalysis.js";
import { catalogue } from "./services/catalogue.js";
import { kubernautAgent, mockLlm } from "./services/kubernautagent.js";

export default defineLane(LANES["aianalysis-e2e"], {
    build(lane) {
        const { workflows } = catalogue(lane);
        const llm = mockLlm(lane, workflows, ["staging", "production", "test"]);
        const { agent, outputs: agentUrls } = kubernautAgent(lane, { dependsOn: [llm] });
        aiAnalysis(lane, agent.clientRole);
        new EnrichmentFixtures("enrichment", { cluster: lane.cluster, image: lane.config.fixtureImage });
        return {
            aiAnalysisUrl: lane.hostUrl("aiAnalysis", "http"),
            aiAnalysisMetricsUrl: lane.hostUrl("aiAnalysisMetrics", "http", "/metrics"),
            aiAnalysisHealthUrl: lane.hostUrl("aiAnalysisHealth", "http"),
            ...agentUrls,
            workflowIds: workflows.workflowIds,
        };
    },
});
