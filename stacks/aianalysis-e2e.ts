/**
 * aianalysis-e2e: Kubernaut's AIAnalysis lane (inventory §4.7) — the controller with Kubernaut Agent and the mock
 * LLM on the DataStorage spine, the ActionTypes and six RemediationWorkflows seeded, and the enrichment fixtures.
 */
import * as pulumi from "@pulumi/pulumi";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { thirdPartyImages } from "../components/lane/third-party.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { EnrichmentFixtures } from "../components/kubernetes/enrichment-fixtures.js";
import { KUBERNAUT_AGENT_TLS, KubernautAgent } from "../components/kubernetes/kubernaut-agent.js";
import { KubernautService } from "../components/kubernetes/kubernaut-service.js";
import { MockLlm } from "../components/kubernetes/mock-llm.js";
import { RemediationWorkflows, workflowFixtureFiles } from "../components/kubernetes/remediation-workflows.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { manifestData, renderManifest } from "../lib/template.js";
import { LANES } from "./lanes.js";

const LANE = LANES["aianalysis-e2e"];
const config = { ...laneConfig(LANE), ...thirdPartyImages("fixtureImage") };
const WORKFLOWS = ["oomkill-increase-memory", "crashloop-config-fix", "node-drain-reboot", "memory-optimize", "generic-restart", "test-signal-handler"];

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function aiAnalysisE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg, { files: workflowFixtureFiles(WORKFLOWS) });
    const spine = new DataStorageSpine("spine", {
        lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage,
        tlsLeaves: [{ secretName: "datastorage-tls", serviceName: "data-storage-service" }, KUBERNAUT_AGENT_TLS],
    });
    const kubeconfigPath = lane.scope.kubeconfigPath;
    const actionTypes = new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "status", kubeconfigPath } });
    const workflows = new RemediationWorkflows("workflows", {
        ...lane.placement, source: lane.source, crds: spine.crds, fixtures: WORKFLOWS,
        registration: { by: "status", kubeconfigPath, after: actionTypes.registered },
    });
    const mockLlm = new MockLlm("mock-llm", { ...lane.placement, image: lane.load("mock-llm"), workflowIds: workflows.workflowIds, environments: ["staging", "production", "test"] });
    const agent = new KubernautAgent("kubernautagent", {
        ...lane.placement, spine, image: lane.load("kubernautagent"), coverage: lane.coverage, dependsOn: [mockLlm],
        nodePorts: { https: lane.nodePort("kubernautAgent"), health: lane.nodePort("kubernautAgentHealth"), metrics: lane.nodePort("kubernautAgentMetrics") },
    });

    new KubernautService("aianalysis", {
        ...lane.placement,
        spine,
        appName: "aianalysis-controller",
        image: lane.load("aianalysis"),
        containerName: "aianalysis",
        clusterRules: manifestData("aianalysis/cluster-rules.yaml"),
        roleBindings: { "aianalysis-controller-agent-access": "kubernaut-agent-client" },
        args: ["-config", "$(CONFIG_PATH)"],
        env: [{ name: "CONFIG_PATH", value: "/etc/aianalysis/config.yaml" }],
        configFiles: [
            { id: "config", configMap: "aianalysis-config", volume: "config", mountPath: "/etc/aianalysis", data: { "config.yaml": renderManifest("aianalysis/config.yaml") } },
            { id: "policies", configMap: "aianalysis-policies", volume: "rego-policies", mountPath: "/etc/aianalysis/policies", data: { "approval.rego": renderManifest("aianalysis/approval.rego") } },
        ],
        ports: [
            { name: "api", containerPort: 8080, nodePort: lane.nodePort("aiAnalysis") },
            { name: "metrics", containerPort: 9090, nodePort: lane.nodePort("aiAnalysisMetrics") },
            { name: "health", containerPort: 8081, nodePort: lane.nodePort("aiAnalysisHealth") },
        ],
        serviceName: "aianalysis-controller",
        readiness: { httpGet: "/healthz", port: "health" },
        readinessTiming: { initialDelaySeconds: 30, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
        coverage: lane.coverage,
        dependsOn: [agent.clientRole],
    });
    new EnrichmentFixtures("enrichment", { cluster: lane.cluster, image: cfg.fixtureImage });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "aianalysis-e2e-sa", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite, {
        aiAnalysisUrl: lane.hostUrl("aiAnalysis", "http"),
        aiAnalysisMetricsUrl: lane.hostUrl("aiAnalysisMetrics", "http", "/metrics"),
        aiAnalysisHealthUrl: lane.hostUrl("aiAnalysisHealth", "http"),
        kubernautAgentUrl: lane.hostUrl("kubernautAgent", "https"),
        kubernautAgentHealthUrl: lane.hostUrl("kubernautAgentHealth", "http"),
        kubernautAgentMetricsUrl: lane.hostUrl("kubernautAgentMetrics", "http", "/metrics"),
        workflowIds: workflows.workflowIds,
    });
}
