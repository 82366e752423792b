/**
 * Kubernaut's AIAnalysis controller (inventory §2.5): its config and approval policy, its API, metrics and health
 * ports, and its access to Kubernaut Agent (`kubernaut-agent-client`), which it starts after.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautService } from "../../components/kubernetes/kubernaut-service.js";
import { manifestData, renderManifest } from "../../lib/template.js";

export function aiAnalysis(
    lane: LaneWith<"aianalysis", "aiAnalysis" | "aiAnalysisMetrics" | "aiAnalysisHealth">,
    agentClientRole: pulumi.Resource,
): KubernautService {
    return new KubernautService("aianalysis", {
        ...lane.placement,
        spine: lane.spine,
        appName: "aianalysis-controller",
        image: lane.load("aianalysis"),
        containerName: "aianalysis",
        clusterRules: manifestData("aianalysis/cluster-rules.yaml"),
        roleBindings: { "aianalysis-controller-agent-access": "kubernaut-agent-client" },
        args: ["-config", "$(CONFIG_PATH)"],
        env: [{ name: "CONFIG_PATH", value: "/etc/aianalysis/config.yaml" }],
        configFiles: [
            {
                id: "config",
                configMap: "aianalysis-config",
                volume: "config",
                mountPath: "/etc/aianalysis",
                data: { "config.yaml": renderManifest("aianalysis/config.yaml") },
            },
            {
                id: "policies",
                configMap: "aianalysis-policies",
                volume: "rego-policies",
                mountPath: "/etc/aianalysis/policies",
                data: { "approval.rego": renderManifest("aianalysis/approval.rego") },
            },
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
        dependsOn: [agentClientRole],
    });
}
