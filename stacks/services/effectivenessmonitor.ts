/**
 * Kubernaut's EffectivenessMonitor controller (inventory §2.9): its config, probes, and no Service of its own (the
 * suite reads its results from the cluster); it starts after the Prometheus and AlertManager it queries.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautService } from "../../components/kubernetes/kubernaut-service.js";
import { resources } from "../../lib/k8s.js";
import { manifestData, renderManifest } from "../../lib/template.js";

export function effectivenessMonitor(
    lane: LaneWith<"effectivenessmonitor">,
    dependsOn: readonly pulumi.Resource[],
): KubernautService {
    const config = "effectivenessmonitor.yaml";
    return new KubernautService("effectivenessmonitor", {
        ...lane.placement,
        spine: lane.spine,
        appName: "effectivenessmonitor-controller",
        image: lane.load("effectivenessmonitor"),
        clusterRules: manifestData("effectivenessmonitor/cluster-rules.yaml"),
        args: [`--config=/etc/effectivenessmonitor/${config}`],
        configFiles: [
            {
                id: "config",
                configMap: "effectivenessmonitor-config",
                volume: "config",
                mountPath: "/etc/effectivenessmonitor",
                data: { [config]: renderManifest("effectivenessmonitor/config.yaml") },
            },
        ],
        ports: [
            { name: "metrics", containerPort: 9090, internal: true },
            { name: "health", containerPort: 8081, internal: true },
        ],
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 5, periodSeconds: 5 },
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 10, periodSeconds: 10 },
        resources: resources(["50m", "64Mi"], ["500m", "256Mi"]),
        coverage: lane.coverage,
        readyTimeoutSeconds: 120,
        dependsOn: [...dependsOn],
    });
}
