/**
 * Kubernaut's RemediationOrchestrator controller (inventory §2.3): its config (a directory mount: the suite's dry-run
 * tests patch the ConfigMap and restart the controller), ports and probes.
 */
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautService } from "../../components/kubernetes/kubernaut-service.js";
import { manifestData, renderManifest } from "../../lib/template.js";

export function remediationOrchestrator(
    lane: LaneWith<"remediationorchestrator", "remediationOrchestratorMetrics">,
): KubernautService {
    const config = "remediationorchestrator.yaml";
    return new KubernautService("remediationorchestrator", {
        ...lane.placement,
        spine: lane.spine,
        appName: "remediationorchestrator-controller",
        image: lane.load("remediationorchestrator"),
        clusterRules: manifestData("remediationorchestrator/cluster-rules.yaml"),
        args: [`--config=/etc/config/${config}`],
        configFiles: [
            {
                id: "config",
                configMap: "remediationorchestrator-config",
                volume: "config",
                mountPath: "/etc/config",
                data: { [config]: renderManifest("remediationorchestrator/config.yaml") },
            },
        ],
        ports: [
            { name: "metrics", containerPort: 9090, nodePort: lane.nodePort("remediationOrchestratorMetrics") },
            { name: "health", containerPort: 8081, internal: true },
        ],
        serviceName: "remediationorchestrator-controller",
        startup: {
            httpGet: "/healthz",
            port: "health",
            initialDelaySeconds: 5,
            periodSeconds: 5,
            failureThreshold: 30,
        },
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 5, periodSeconds: 10 },
        coverage: lane.coverage,
        readyTimeoutSeconds: 180,
    });
}
