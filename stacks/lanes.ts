/**
 * Every Kubernaut lane this project brings up, as data (inventory §1, §3, §4). The program registry, each stack's
 * config schema, host ports and kind port mappings derive from these records. Host ports are unique across all lanes
 * so any two can run on one host; where Kubernaut's own lanes share a host port, `changed` says which one moved.
 */
import type { LaneImage, LaneSpec } from "../components/lane/spec.js";

/** A Kubernaut image: its tag follows the Go packages its Dockerfile builds (`./cmd/<name>` unless given). */
const image = (name: string, dockerfile: string, coverage: LaneImage["coverage"] = "option", go: readonly string[] = [`./cmd/${name}`]): LaneImage => ({
    dockerfile,
    repository: `localhost/kubernaut/${name}`,
    coverage,
    go,
});

/** The images of the DataStorage spine every lane runs (db-migrate feeds the migrations Job). */
const SPINE_IMAGES = {
    datastorage: image("datastorage", "docker/data-storage.Dockerfile"),
    // goose builds from its own module: no Go code of the checkout goes in.
    "db-migrate": image("db-migrate", "docker/db-migrate.Dockerfile", "never", []),
};
const AUTH_WEBHOOK_IMAGE = { authwebhook: image("authwebhook", "docker/authwebhook.Dockerfile") };

const sharedHealth = (hostPort: number) => ({ nodePort: 30281, hostPort, changed: "30281 is signalprocessing-e2e's DataStorage health port" });

export const LANES = {
    "signalprocessing-e2e": {
        stack: "signalprocessing-e2e",
        summary: "the SignalProcessing controller on the DataStorage spine, 11 ActionTypes seeded by status patch",
        kubernautCluster: "signalprocessing-e2e",
        namespace: "kubernaut-system",
        namespaceLabels: { "app.kubernetes.io/name": "kubernaut", "app.kubernetes.io/component": "signalprocessing" },
        kubeadm: "standard",
        kubeletExtraArgs: { "sync-frequency": "10s" },
        images: { signalprocessing: image("signalprocessing", "docker/signalprocessing-controller.Dockerfile", "always"), ...SPINE_IMAGES },
        // Kubernaut also maps 30082→8082, which no Service uses; it is left out.
        ports: {
            signalProcessingMetrics: { nodePort: 30182, hostPort: 9182 },
            dataStorage: { nodePort: 30081, hostPort: 30081 },
            dataStorageHealth: { nodePort: 30281, hostPort: 30281 },
            postgres: { nodePort: 30432, hostPort: 30432 },
        },
    },
    "gateway-e2e": {
        stack: "gateway-e2e",
        summary: "the Gateway on the DataStorage spine, 11 ActionTypes seeded by status patch",
        kubernautCluster: "gateway-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        clusterWaitSeconds: 300,
        images: { gateway: image("gateway", "docker/gateway.Dockerfile"), ...SPINE_IMAGES },
        ports: {
            gateway: { nodePort: 30080, hostPort: 8080 },
            gatewayHealth: { nodePort: 30180, hostPort: 28080 },
            gatewayMetrics: { nodePort: 30090, hostPort: 9090 },
            dataStorage: { nodePort: 30081, hostPort: 18091 },
            dataStorageHealth: { nodePort: 30281, hostPort: 28191, changed: "28091 is datastorage-e2e's metrics port" },
            // Reserved for the objects the suite's DataStorage-resilience test creates (test 39).
            gatewayResilience: { nodePort: 30185, hostPort: 28185 },
            gatewayResilienceHealth: { nodePort: 30183, hostPort: 28183 },
            isolatedDataStorage: { nodePort: 30082, hostPort: 28193 },
        },
    },
    "datastorage-e2e": {
        stack: "datastorage-e2e",
        summary: "DataStorage alone on its spine, PostgreSQL published for the suite's direct queries",
        kubernautCluster: "datastorage-e2e",
        namespace: "datastorage-e2e",
        kubeadm: "high-load-webhook-cache",
        images: { ...SPINE_IMAGES },
        // Kubernaut also maps 30082→28093 and 30282→28094 for a test that no longer exists; they are left out.
        ports: {
            dataStorage: { nodePort: 30081, hostPort: 28090 },
            dataStorageMetrics: { nodePort: 30181, hostPort: 28091 },
            dataStorageHealth: { nodePort: 30281, hostPort: 28092 },
            postgres: { nodePort: 30432, hostPort: 25433 },
        },
    },
    "authwebhook-e2e": {
        stack: "authwebhook-e2e",
        summary: "the AuthWebhook with its admission webhooks on the DataStorage spine; ActionTypes registered through admission",
        kubernautCluster: "authwebhook-e2e",
        namespace: "authwebhook-e2e",
        kubeadm: "none",
        images: { ...AUTH_WEBHOOK_IMAGE, ...SPINE_IMAGES },
        ports: {
            postgres: { nodePort: 30442, hostPort: 25442 },
            redis: { nodePort: 30386, hostPort: 26386 },
            dataStorage: { nodePort: 30081, hostPort: 28099 },
            authWebhook: { nodePort: 30099, hostPort: 30099 },
        },
    },
    "remediationorchestrator-e2e": {
        stack: "remediationorchestrator-e2e",
        summary: "the RemediationOrchestrator on the DataStorage spine, then the AuthWebhook",
        kubernautCluster: "ro-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        images: { remediationorchestrator: image("remediationorchestrator", "docker/remediationorchestrator-controller.Dockerfile"), ...AUTH_WEBHOOK_IMAGE, ...SPINE_IMAGES },
        // Kubernaut also maps 30083→8083 and 30284→8183, which no Service uses; they are left out.
        ports: {
            dataStorage: { nodePort: 30081, hostPort: 8090 },
            dataStorageHealth: sharedHealth(28390),
            remediationOrchestratorMetrics: { nodePort: 30183, hostPort: 9183 },
        },
    },
    "workflowexecution-e2e": {
        notShareable: "it installs Tekton and the AWX operator cluster-wide and runs workflows in the fixed namespace `kubernaut-workflows`",
        stack: "workflowexecution-e2e",
        summary: "the WorkflowExecution controller with Tekton, AWX and the AuthWebhook; 13 RemediationWorkflows registered through admission",
        kubernautCluster: "workflowexecution-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        images: { workflowexecution: image("workflowexecution", "docker/workflowexecution-controller.Dockerfile"), ...AUTH_WEBHOOK_IMAGE, ...SPINE_IMAGES },
        // Kubernaut also maps 30085→8085, which no Service uses; it is left out.
        ports: {
            workflowExecutionMetrics: { nodePort: 30185, hostPort: 9185 },
            dataStorage: { nodePort: 30081, hostPort: 8092 },
            dataStorageHealth: sharedHealth(28392),
            awx: { nodePort: 30095, hostPort: 30095 },
        },
    },
    "aianalysis-e2e": {
        notShareable: "its enrichment fixtures live in namespaces of their own (`production`, …) that the suite names",
        stack: "aianalysis-e2e",
        summary: "the AIAnalysis controller with Kubernaut Agent and the mock LLM; 6 RemediationWorkflows seeded",
        kubernautCluster: "aianalysis-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        images: {
            aianalysis: image("aianalysis", "docker/aianalysis.Dockerfile"),
            kubernautagent: image("kubernautagent", "docker/kubernautagent.Dockerfile"),
            "mock-llm": image("mock-llm", "test/services/mock-llm/go.Dockerfile", "option", ["./test/services/mock-llm/cmd/mock-llm"]),
            ...SPINE_IMAGES,
        },
        ports: {
            aiAnalysis: { nodePort: 30084, hostPort: 8084 },
            aiAnalysisMetrics: { nodePort: 30184, hostPort: 9184 },
            aiAnalysisHealth: { nodePort: 30284, hostPort: 8184 },
            kubernautAgentHealth: { nodePort: 30188, hostPort: 28088 },
            kubernautAgentMetrics: { nodePort: 30988, hostPort: 9088 },
            kubernautAgent: { nodePort: 30088, hostPort: 8088 },
            dataStorage: { nodePort: 30081, hostPort: 8091 },
            dataStorageHealth: sharedHealth(28391),
        },
    },
    "notification-e2e": {
        stack: "notification-e2e",
        summary: "the Notification controller with a mock webhook receiver and the AuthWebhook",
        kubernautCluster: "notification-e2e",
        namespace: "notification-e2e",
        kubeadm: "high-load",
        images: { notification: image("notification", "docker/notification-controller.Dockerfile"), ...AUTH_WEBHOOK_IMAGE, ...SPINE_IMAGES },
        ports: {
            notificationMetrics: { nodePort: 30186, hostPort: 9186 },
            dataStorage: { nodePort: 30090, hostPort: 30090 },
            dataStorageHealth: sharedHealth(28396),
        },
    },
    "effectivenessmonitor-e2e": {
        stack: "effectivenessmonitor-e2e",
        summary: "the EffectivenessMonitor with Prometheus, AlertManager and the AuthWebhook",
        kubernautCluster: "em-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        images: { effectivenessmonitor: image("effectivenessmonitor", "docker/effectivenessmonitor-controller.Dockerfile"), ...AUTH_WEBHOOK_IMAGE, ...SPINE_IMAGES },
        // Kubernaut also maps 30089→8089 and 30189→9189 for an EM Service that does not exist; they are left out.
        ports: {
            dataStorage: { nodePort: 30081, hostPort: 8093, changed: "8091 is aianalysis-e2e's DataStorage port" },
            dataStorageHealth: sharedHealth(28393),
            prometheus: { nodePort: 30190, hostPort: 9190 },
            alertManager: { nodePort: 30191, hostPort: 9193 },
        },
    },
    "kubernautagent-e2e": {
        notShareable: "its fixtures live in `default` and namespaces of their own that the suite names",
        stack: "kubernautagent-e2e",
        summary: "Kubernaut Agent with the mock LLM, Prometheus, AlertManager and Dex; 9 RemediationWorkflows seeded",
        kubernautCluster: "kubernaut-agent-e2e",
        namespace: "kubernaut-agent-e2e",
        kubeadm: "none",
        clusterWaitSeconds: 300,
        images: { kubernautagent: image("kubernautagent", "docker/kubernautagent.Dockerfile"), "mock-llm": image("mock-llm", "test/services/mock-llm/go.Dockerfile", "option", ["./test/services/mock-llm/cmd/mock-llm"]), ...SPINE_IMAGES },
        // Kubernaut also maps 30439, 30387, 30443 and 30081, which nothing in this lane uses; they are left out.
        ports: {
            kubernautAgent: { nodePort: 30088, hostPort: 8188, changed: "8088 is aianalysis-e2e's Kubernaut Agent port" },
            kubernautAgentHealth: { nodePort: 30188, hostPort: 28188, changed: "28088 is aianalysis-e2e's" },
            kubernautAgentMetrics: { nodePort: 30988, hostPort: 9188, changed: "9088 is aianalysis-e2e's" },
            dataStorage: { nodePort: 30089, hostPort: 8089 },
            dataStorageHealth: { nodePort: 30281, hostPort: 28089 },
            prometheus: { nodePort: 30190, hostPort: 9191, changed: "9190 is effectivenessmonitor-e2e's" },
            alertManager: { nodePort: 30191, hostPort: 9194, changed: "9193 is effectivenessmonitor-e2e's" },
            dex: { nodePort: 30556, hostPort: 5556 },
        },
    },
} as const satisfies Record<string, LaneSpec>;

export type LaneName = keyof typeof LANES;
