/**
 * remediationorchestrator-e2e: Kubernaut's RemediationOrchestrator lane (inventory §4.5) — the orchestrator on the
 * DataStorage spine, then the AuthWebhook, whose admission registers the ActionTypes.
 */
import * as pulumi from "@pulumi/pulumi";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { AuthWebhook } from "../components/kubernetes/auth-webhook.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { KubernautService } from "../components/kubernetes/kubernaut-service.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { manifestData, renderManifest } from "../lib/template.js";
import { LANES } from "./lanes.js";

const LANE = LANES["remediationorchestrator-e2e"];
const config = laneConfig(LANE);

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function remediationOrchestratorE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg);
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });

    new KubernautService("remediationorchestrator", {
        ...lane.placement,
        spine,
        appName: "remediationorchestrator-controller",
        image: lane.load("remediationorchestrator"),
        clusterRules: manifestData("remediationorchestrator/cluster-rules.yaml"),
        args: ["--config=/etc/config/remediationorchestrator.yaml"],
        // A directory mount: the suite's dry-run tests patch this ConfigMap and restart the controller.
        configFiles: [{ id: "config", configMap: "remediationorchestrator-config", volume: "config", mountPath: "/etc/config", data: { "remediationorchestrator.yaml": renderManifest("remediationorchestrator/config.yaml") } }],
        ports: [{ name: "metrics", containerPort: 9090, nodePort: lane.nodePort("remediationOrchestratorMetrics") }, { name: "health", containerPort: 8081, internal: true }],
        serviceName: "remediationorchestrator-controller",
        startup: { httpGet: "/healthz", port: "health", initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 30 },
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 5, periodSeconds: 10 },
        coverage: lane.coverage,
        readyTimeoutSeconds: 180,
    });
    const webhook = new AuthWebhook("authwebhook", { ...lane.placement, spine, image: lane.load("authwebhook"), coverage: lane.coverage });
    new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "admission", after: webhook.configurations } });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "remediationorchestrator-e2e-sa", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite, { remediationOrchestratorMetricsUrl: lane.hostUrl("remediationOrchestratorMetrics", "http", "/metrics") });
}
