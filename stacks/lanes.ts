/**
 * Every Kubernaut lane this project brings up, as data (inventory §1, §3, §4). The program registry, each stack's
 * config schema and type, host ports, kind port mappings, suite identity and outputs derive from these records. Host
 * ports are unique across all lanes so any two can run on one host; where Kubernaut's own lanes share a host port,
 * `changed` says which one moved. Each port names the Service behind it (a test holds that to the plans).
 */
import { z } from "zod";
import type { LaneImage, LanePort, LaneSpec } from "../components/lane/spec.js";
import { thirdPartyImages } from "../components/lane/third-party.js";
import { DEX_TLS } from "../components/kubernetes/dex.js";
import { KUBERNAUT_AGENT_TLS } from "../components/kubernetes/kubernaut-agent.js";
import { pinnedFileSchema } from "../lib/pinned-file.js";

/** A Kubernaut image: its tag follows the Go packages its Dockerfile builds (`./cmd/<name>` unless given). */
const image = (
    name: string,
    dockerfile: string,
    coverage: LaneImage["coverage"] = "option",
    go: readonly string[] = [`./cmd/${name}`],
): LaneImage => ({
    dockerfile,
    repository: `localhost/kubernaut/${name}`,
    coverage,
    go,
});

/** The busybox the SP, AA and KA suites start Pods of. */
const BUSYBOX = "docker.io/library/busybox:1.36";

/** The images of the DataStorage spine every lane runs (db-migrate feeds the migrations Job). */
const SPINE_IMAGES = {
    datastorage: image("datastorage", "docker/data-storage.Dockerfile"),
    // goose builds from its own module: no Go code of the checkout goes in.
    "db-migrate": image("db-migrate", "docker/db-migrate.Dockerfile", "never", []),
};
const AUTH_WEBHOOK_IMAGE = { authwebhook: image("authwebhook", "docker/authwebhook.Dockerfile") };

/** A port of a Service the stack runs, published on `hostPort` through `nodePort`. */
const published = (nodePort: number, hostPort: number, service: string, port: number, changed?: string): LanePort => ({
    nodePort,
    hostPort,
    service: { service, port },
    ...(changed ? { changed } : {}),
});
const dataStorage = (nodePort: number, hostPort: number, changed?: string) =>
    published(nodePort, hostPort, "data-storage-service", 8080, changed);
const dataStorageHealth = (hostPort: number, changed?: string) =>
    published(30281, hostPort, "data-storage-service", 8081, changed);
const sharedHealth = (hostPort: number) =>
    dataStorageHealth(hostPort, "30281 is signalprocessing-e2e's DataStorage health port");
const postgres = (nodePort: number, hostPort: number) => published(nodePort, hostPort, "postgresql", 5432);
const authWebhook = published(30099, 30099, "authwebhook", 443);
const agent = (hostPort: number, changed?: string) => published(30088, hostPort, "kubernaut-agent", 8443, changed);
const agentHealth = (hostPort: number, changed?: string) =>
    published(30188, hostPort, "kubernaut-agent", 8081, changed);
const agentMetrics = (hostPort: number, changed?: string) =>
    published(30988, hostPort, "kubernaut-agent", 9090, changed);

export const LANES = {
    "signalprocessing-e2e": {
        stack: "signalprocessing-e2e",
        summary: "the SignalProcessing controller on the DataStorage spine, 11 ActionTypes seeded by status patch",
        kubernautCluster: "signalprocessing-e2e",
        namespace: "kubernaut-system",
        namespaceLabels: { "app.kubernetes.io/name": "kubernaut", "app.kubernetes.io/component": "signalprocessing" },
        kubeadm: "standard",
        kubeletExtraArgs: { "sync-frequency": "10s" },
        images: {
            signalprocessing: image("signalprocessing", "docker/signalprocessing-controller.Dockerfile", "always"),
            ...SPINE_IMAGES,
        },
        // Kubernaut also maps 30082→8082, which no Service uses; it is left out.
        ports: {
            signalProcessingMetrics: published(30182, 9182, "signalprocessing-controller-metrics", 9090),
            dataStorage: dataStorage(30081, 30081),
            dataStorageHealth: dataStorageHealth(30281),
            postgres: postgres(30432, 30432),
        },
        suite: { serviceAccountName: "signalprocessing-e2e-sa" },
        // Four enrichment specs wait for Pods of it to be ready.
        suiteImages: { [BUSYBOX]: "busybox" },
        config: {
            /**
             * SignalProcessing Rego policy, relative to the checkout.
             * @default - the policy Kubernaut's SP E2E setup applies
             * (`test/infrastructure/signalprocessing_e2e_hybrid.go`).
             *   Not the chart's example (`charts/kubernaut/examples/signalprocessing-policy.rego`): the real controller
             *   rejects it at d5a4a870 (`rego_parse_error: unexpected if keyword` on line 116) and exits.
             */
            policyFile: z.string().optional(),
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
            gateway: published(30080, 8080, "gateway-service", 8080),
            gatewayHealth: published(30180, 28080, "gateway-service", 8081),
            gatewayMetrics: published(30090, 9090, "gateway-service", 9090),
            dataStorage: dataStorage(30081, 18091),
            dataStorageHealth: dataStorageHealth(28191, "28091 is datastorage-e2e's metrics port"),
            // Reserved for the objects the suite's DataStorage-resilience test creates (test 39).
            gatewayResilience: { nodePort: 30185, hostPort: 28185 },
            gatewayResilienceHealth: { nodePort: 30183, hostPort: 28183 },
            isolatedDataStorage: { nodePort: 30082, hostPort: 28193 },
        },
        suite: {
            serviceAccountName: "e2e-gateway-suite-sa",
            clusterRoles: [
                {
                    name: "gateway-service-client",
                    rules: [
                        {
                            apiGroups: [""],
                            resources: ["services"],
                            resourceNames: ["gateway-service"],
                            verbs: ["create"],
                        },
                    ],
                },
            ],
        },
        // Test 39 deploys its own PostgreSQL and Redis by these names (pulled only when missing).
        suiteImages: {
            "docker.io/library/postgres:16-alpine": "postgres",
            "quay.io/jordigilh/redis:7-alpine": "redis",
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
            dataStorage: dataStorage(30081, 28090),
            dataStorageMetrics: published(30181, 28091, "data-storage-service", 9090),
            dataStorageHealth: dataStorageHealth(28092),
            postgres: postgres(30432, 25433),
        },
        suite: { serviceAccountName: "datastorage-e2e-client" },
    },
    "authwebhook-e2e": {
        stack: "authwebhook-e2e",
        summary:
            "the AuthWebhook with its admission webhooks on the DataStorage spine; ActionTypes registered through admission",
        kubernautCluster: "authwebhook-e2e",
        namespace: "authwebhook-e2e",
        kubeadm: "none",
        images: { ...AUTH_WEBHOOK_IMAGE, ...SPINE_IMAGES },
        ports: {
            postgres: postgres(30442, 25442),
            redis: published(30386, 26386, "redis", 6379),
            dataStorage: dataStorage(30081, 28099),
            authWebhook,
        },
        suite: { serviceAccountName: "authwebhook-e2e-client" },
    },
    "remediationorchestrator-e2e": {
        stack: "remediationorchestrator-e2e",
        summary: "the RemediationOrchestrator on the DataStorage spine, then the AuthWebhook",
        kubernautCluster: "ro-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        images: {
            remediationorchestrator: image(
                "remediationorchestrator",
                "docker/remediationorchestrator-controller.Dockerfile",
            ),
            ...AUTH_WEBHOOK_IMAGE,
            ...SPINE_IMAGES,
        },
        // Kubernaut also maps 30083→8083 and 30284→8183, which no Service uses; they are left out.
        ports: {
            dataStorage: dataStorage(30081, 8090),
            dataStorageHealth: sharedHealth(28390),
            remediationOrchestratorMetrics: published(30183, 9183, "remediationorchestrator-controller", 9090),
        },
        suite: { serviceAccountName: "remediationorchestrator-e2e-sa" },
    },
    "workflowexecution-e2e": {
        notShareable:
            "it installs Tekton and the AWX operator cluster-wide and runs workflows in the fixed namespace `kubernaut-workflows`",
        stack: "workflowexecution-e2e",
        summary:
            "the WorkflowExecution controller with Tekton, AWX and the AuthWebhook; 13 RemediationWorkflows registered through admission",
        kubernautCluster: "workflowexecution-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        images: {
            workflowexecution: image("workflowexecution", "docker/workflowexecution-controller.Dockerfile"),
            ...AUTH_WEBHOOK_IMAGE,
            ...SPINE_IMAGES,
        },
        // Kubernaut also maps 30085→8085, which no Service uses; it is left out.
        ports: {
            workflowExecutionMetrics: published(30185, 9185, "workflowexecution-controller-metrics", 9090),
            dataStorage: dataStorage(30081, 8092),
            dataStorageHealth: sharedHealth(28392),
            // The AWX operator makes this NodePort's Service, not the stack.
            awx: { nodePort: 30095, hostPort: 30095 },
        },
        suite: { serviceAccountName: "workflowexecution-e2e-sa" },
        // The Job engine's specs run it by tag (Kubernaut's test/fixtures/execution-placeholder).
        suiteImages: { "quay.io/kubernaut-cicd/test-workflows/placeholder-execution:v1.0.0": "placeholderExecution" },
        workflows: [
            "hello-world",
            "failing",
            "dep-secret-job",
            "dep-secret-tekton",
            "dep-configmap-job",
            "dep-configmap-tekton",
            "job-hello-world",
            "job-failing",
            "job-oomkill",
            "ansible-success",
            "ansible-failure",
            "dep-secret-ansible",
            "dep-configmap-ansible",
        ],
        config: {
            /**
             * Tekton Pipelines' release manifest (Kubernaut applies v1.7.0's `release.yaml`): a file, or a URL with its
             * SHA-256.
             */
            tektonManifest: pinnedFileSchema.optional(),
            /** Run AWX, the Ansible engine (its project sync needs GitHub). @default true */
            ansibleEngine: z.boolean().default(true),
            /**
             * The AWX operator's manifests (`kustomize build` of awx-operator 2.19.1's `config/default` for the
             * namespace).
             */
            awxOperatorManifest: pinnedFileSchema.optional(),
            awxAdminPassword: z.string().min(1).default("admin_e2e_password"),
            awxDatabasePassword: z.string().min(1).default("awx_e2e_password"),
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
            "mock-llm": image("mock-llm", "test/services/mock-llm/go.Dockerfile", "option", [
                "./test/services/mock-llm/cmd/mock-llm",
            ]),
            ...SPINE_IMAGES,
        },
        ports: {
            aiAnalysis: published(30084, 8084, "aianalysis-controller", 8080),
            aiAnalysisMetrics: published(30184, 9184, "aianalysis-controller", 9090),
            aiAnalysisHealth: published(30284, 8184, "aianalysis-controller", 8081),
            kubernautAgentHealth: agentHealth(28088),
            kubernautAgentMetrics: agentMetrics(9088),
            kubernautAgent: agent(8088),
            dataStorage: dataStorage(30081, 8091),
            dataStorageHealth: sharedHealth(28391),
        },
        suite: { serviceAccountName: "aianalysis-e2e-sa" },
        suiteImages: { [BUSYBOX]: "busybox" },
        workflows: [
            "oomkill-increase-memory",
            "crashloop-config-fix",
            "node-drain-reboot",
            "memory-optimize",
            "generic-restart",
            "test-signal-handler",
        ],
        tlsLeaves: [KUBERNAUT_AGENT_TLS],
        config: thirdPartyImages("fixtureImage"),
    },
    "notification-e2e": {
        stack: "notification-e2e",
        summary: "the Notification controller with a mock webhook receiver and the AuthWebhook",
        kubernautCluster: "notification-e2e",
        namespace: "notification-e2e",
        kubeadm: "high-load",
        images: {
            notification: image("notification", "docker/notification-controller.Dockerfile"),
            ...AUTH_WEBHOOK_IMAGE,
            ...SPINE_IMAGES,
        },
        ports: {
            notificationMetrics: published(30186, 9186, "notification-metrics", 9090),
            dataStorage: dataStorage(30090, 30090),
            dataStorageHealth: sharedHealth(28396),
        },
        suite: { serviceAccountName: "notification-e2e-sa" },
        config: thirdPartyImages("mockWebhookImage"),
    },
    "effectivenessmonitor-e2e": {
        stack: "effectivenessmonitor-e2e",
        summary: "the EffectivenessMonitor with Prometheus, AlertManager and the AuthWebhook",
        kubernautCluster: "em-e2e",
        namespace: "kubernaut-system",
        kubeadm: "standard",
        images: {
            effectivenessmonitor: image("effectivenessmonitor", "docker/effectivenessmonitor-controller.Dockerfile"),
            ...AUTH_WEBHOOK_IMAGE,
            ...SPINE_IMAGES,
        },
        // Kubernaut also maps 30089→8089 and 30189→9189 for an EM Service that does not exist; they are left out.
        ports: {
            dataStorage: dataStorage(30081, 8093, "8091 is aianalysis-e2e's DataStorage port"),
            dataStorageHealth: sharedHealth(28393),
            prometheus: published(30190, 9190, "prometheus-svc", 9090),
            alertManager: published(30191, 9193, "alertmanager-svc", 9093),
        },
        suite: { serviceAccountName: "effectivenessmonitor-e2e-sa" },
        // The target Pods the suite's assessments watch (`EMTargetPodImage`, running `sleep`).
        suiteImages: { "registry.access.redhat.com/ubi9/ubi-minimal:9.5": "ubiBase" },
        config: thirdPartyImages("prometheusImage", "alertManagerImage"),
    },
    "kubernautagent-e2e": {
        notShareable: "its fixtures live in `default` and namespaces of their own that the suite names",
        stack: "kubernautagent-e2e",
        summary: "Kubernaut Agent with the mock LLM, Prometheus, AlertManager and Dex; 9 RemediationWorkflows seeded",
        kubernautCluster: "kubernaut-agent-e2e",
        namespace: "kubernaut-agent-e2e",
        kubeadm: "none",
        clusterWaitSeconds: 300,
        images: {
            kubernautagent: image("kubernautagent", "docker/kubernautagent.Dockerfile"),
            "mock-llm": image("mock-llm", "test/services/mock-llm/go.Dockerfile", "option", [
                "./test/services/mock-llm/cmd/mock-llm",
            ]),
            ...SPINE_IMAGES,
        },
        // Kubernaut also maps 30439, 30387, 30443 and 30081, which nothing in this lane uses; they are left out.
        ports: {
            kubernautAgent: agent(8188, "8088 is aianalysis-e2e's Kubernaut Agent port"),
            kubernautAgentHealth: agentHealth(28188, "28088 is aianalysis-e2e's"),
            kubernautAgentMetrics: agentMetrics(9188, "9088 is aianalysis-e2e's"),
            dataStorage: dataStorage(30089, 8089),
            dataStorageHealth: dataStorageHealth(28089),
            prometheus: published(30190, 9191, "prometheus-svc", 9090, "9190 is effectivenessmonitor-e2e's"),
            alertManager: published(30191, 9194, "alertmanager-svc", 9093, "9193 is effectivenessmonitor-e2e's"),
            dex: published(30556, 5556, "dex", 5556),
        },
        suiteImages: { [BUSYBOX]: "busybox" },
        suite: {
            serviceAccountName: "kubernaut-agent-e2e-sa",
            roles: [
                {
                    name: "kubernaut-agent-e2e-client-access",
                    rules: [
                        {
                            apiGroups: [""],
                            resources: ["services"],
                            resourceNames: ["kubernaut-agent"],
                            verbs: ["create", "get"],
                        },
                    ],
                },
            ],
        },
        workflows: [
            "oomkill-increase-memory",
            "memory-optimize",
            "crashloop-config-fix",
            "node-drain-reboot",
            "image-pull-backoff-fix-credentials",
            "generic-restart",
            "param-validation-test",
            "ambiguous-kind-fix",
            "istio-authz-fix",
        ],
        tlsLeaves: [KUBERNAUT_AGENT_TLS, DEX_TLS],
        config: thirdPartyImages("prometheusImage", "alertManagerImage", "dexImage", "fixtureImage"),
    },
} as const satisfies Record<string, LaneSpec>;

export type LaneName = keyof typeof LANES;
