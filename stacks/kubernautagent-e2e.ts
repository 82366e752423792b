/**
 * kubernautagent-e2e: Kubernaut's Kubernaut Agent lane (inventory §4.10) — the agent with the mock LLM, Prometheus,
 * AlertManager and Dex (interactive logins) on the DataStorage spine, ActionTypes and nine RemediationWorkflows seeded,
 * the ambiguous-kind CRDs and the enrichment fixtures, and two suite identities.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { thirdPartyImages } from "../components/lane/third-party.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { AlertManager } from "../components/kubernetes/alertmanager.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { DEX_TLS, Dex } from "../components/kubernetes/dex.js";
import { KubernetesDocuments } from "../components/kubernetes/documents.js";
import { EnrichmentFixtures } from "../components/kubernetes/enrichment-fixtures.js";
import { KUBERNAUT_AGENT_TLS, KubernautAgent } from "../components/kubernetes/kubernaut-agent.js";
import { MockLlm } from "../components/kubernetes/mock-llm.js";
import { Prometheus } from "../components/kubernetes/prometheus.js";
import { RemediationWorkflows, workflowFixtureFiles } from "../components/kubernetes/remediation-workflows.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { renderManifest } from "../lib/template.js";
import { LANES } from "./lanes.js";

const LANE = LANES["kubernautagent-e2e"];
const config = { ...laneConfig(LANE), ...thirdPartyImages("prometheusImage", "alertManagerImage", "dexImage", "fixtureImage") };
const WORKFLOWS = [
    "oomkill-increase-memory", "memory-optimize", "crashloop-config-fix", "node-drain-reboot", "image-pull-backoff-fix-credentials",
    "generic-restart", "param-validation-test", "ambiguous-kind-fix", "istio-authz-fix",
];
const AGENT_CLIENT_RULES = [{ apiGroups: [""], resources: ["services"], resourceNames: ["kubernaut-agent"], verbs: ["create", "get"] }];

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function kubernautAgentE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg, { files: workflowFixtureFiles(WORKFLOWS) });
    const spine = new DataStorageSpine("spine", {
        lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage,
        tlsLeaves: [{ secretName: "datastorage-tls", serviceName: "data-storage-service" }, KUBERNAUT_AGENT_TLS, DEX_TLS],
    });
    const namespace = lane.namespace.metadata.name;
    const kubeconfigPath = lane.scope.kubeconfigPath;
    const actionTypes = new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "status", kubeconfigPath } });
    const workflows = new RemediationWorkflows("workflows", {
        ...lane.placement, source: lane.source, crds: spine.crds, fixtures: WORKFLOWS,
        registration: { by: "status", kubeconfigPath, after: actionTypes.registered },
    });
    const mockLlm = new MockLlm("mock-llm", { ...lane.placement, image: lane.load("mock-llm"), workflowIds: workflows.workflowIds, environments: ["staging", "production"] });

    // Two CRDs of one kind in different groups, for the agent's ambiguous-kind handling; it discovers them at start.
    const testWidgets = new KubernetesDocuments("testwidgets", {
        cluster: lane.cluster,
        documents: parseAllDocuments(renderManifest("kubernautagent/testwidget-crds.yaml")).map((d) => d.toJSON() as Record<string, unknown>),
        source: "manifests/kubernautagent/testwidget-crds.yaml",
    });
    new k8s.apiextensions.CustomResource("test-widget-instance", {
        apiVersion: "alpha.kubernaut-test.ai/v1", kind: "TestWidget", metadata: { name: "test-widget-instance", namespace: "default" }, spec: {},
    }, lane.cluster.objectOptions({ dependsOn: [testWidgets] }));

    const prometheus = new Prometheus("prometheus", { ...lane.placement, image: lane.thirdParty("prometheus", cfg.prometheusImage), nodePort: lane.nodePort("prometheus") });
    const alertManager = new AlertManager("alertmanager", { ...lane.placement, image: lane.thirdParty("alertmanager", cfg.alertManagerImage), nodePort: lane.nodePort("alertManager") });
    const dex = new Dex("dex", { ...lane.placement, image: lane.thirdParty("dex", cfg.dexImage), tls: spine.tls, nodePort: lane.nodePort("dex") });
    // Dex's static user may call the agent.
    const dexUser = new k8s.rbac.v1.Role("dex-e2e-user-ka-access", { metadata: { name: "dex-e2e-user-ka-access", namespace }, rules: AGENT_CLIENT_RULES }, lane.cluster.objectOptions());
    new k8s.rbac.v1.RoleBinding("dex-e2e-user-ka-access-binding", {
        metadata: { name: "dex-e2e-user-ka-access", namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: dexUser.metadata.name },
        subjects: [{ kind: "User", name: "e2e-user@kubernaut.test", apiGroup: "rbac.authorization.k8s.io" }],
    }, lane.cluster.objectOptions());

    new KubernautAgent("kubernautagent", {
        ...lane.placement, spine, image: lane.load("kubernautagent"), coverage: lane.coverage, dexLogin: true,
        nodePorts: { https: lane.nodePort("kubernautAgent"), health: lane.nodePort("kubernautAgentHealth"), metrics: lane.nodePort("kubernautAgentMetrics") },
        dependsOn: [mockLlm, dex, testWidgets, prometheus, alertManager],
    });
    new EnrichmentFixtures("enrichment", { cluster: lane.cluster, image: cfg.fixtureImage });
    const suite = new SuiteAccess("suite", {
        ...lane.placement, serviceAccountName: "kubernaut-agent-e2e-sa", dataStorage: spine.dataStorage,
        roles: [{ name: "kubernaut-agent-e2e-client-access", rules: AGENT_CLIENT_RULES }],
    });
    const second = new SuiteAccess("suite-2", {
        ...lane.placement, serviceAccountName: "kubernaut-agent-e2e-sa-2", dataStorage: spine.dataStorage, dataStorageClient: false,
        roleBindings: { "kubernaut-agent-e2e-sa-2-ka-client-access": suite.roles.get("kubernaut-agent-e2e-client-access")!.metadata.name },
    });
    return laneOutputs(lane, spine, suite, {
        kubernautAgentUrl: lane.hostUrl("kubernautAgent", "https"),
        mcpUrl: lane.hostUrl("kubernautAgent", "https", "/api/v1/mcp"),
        kubernautAgentHealthUrl: lane.hostUrl("kubernautAgentHealth", "http"),
        kubernautAgentMetricsUrl: lane.hostUrl("kubernautAgentMetrics", "http", "/metrics"),
        prometheusUrl: lane.hostUrl("prometheus", "http"),
        alertManagerUrl: lane.hostUrl("alertManager", "http"),
        dexUrl: lane.hostUrl("dex", "https", "/dex"),
        secondSuiteServiceAccount: second.serviceAccountName,
        secondSuiteToken: second.token,
        workflowIds: workflows.workflowIds,
    });
}
