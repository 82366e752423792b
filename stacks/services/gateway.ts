/**
 * Kubernaut's Gateway (inventory §2.1): its config, ports (API, health, metrics), startup, liveness and readiness
 * probes as its deployment manifest has them, on the control plane where kind's port mappings are.
 */
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautService } from "../../components/kubernetes/kubernaut-service.js";
import { resources } from "../../lib/k8s.js";
import { manifestData, renderManifest } from "../../lib/template.js";

export function gateway(lane: LaneWith<"gateway", "gateway" | "gatewayHealth" | "gatewayMetrics">): KubernautService {
    const namespace = lane.namespace.metadata.name;
    return new KubernautService("gateway", {
        ...lane.placement,
        spine: lane.spine,
        appName: "gateway",
        image: lane.load("gateway"),
        containerName: "gateway",
        labels: { component: "webhook" },
        clusterRules: manifestData("gateway/cluster-rules.yaml"),
        clusterRoleName: "gateway-role",
        args: ["--config=/etc/gateway/config.yaml"],
        env: [
            { name: "KUBERNAUT_CONTROLLER_NAMESPACE", value: namespace },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
        ],
        configFiles: [
            {
                id: "config",
                configMap: "gateway-config",
                volume: "config",
                mountPath: "/etc/gateway",
                data: {
                    "config.yaml": namespace.apply((ns) => renderManifest("gateway/config.yaml", { namespace: ns })),
                },
            },
        ],
        ports: [
            { name: "http", containerPort: 8080, nodePort: lane.nodePort("gateway") },
            { name: "health", containerPort: 8081, nodePort: lane.nodePort("gatewayHealth") },
            { name: "metrics", containerPort: 9090, nodePort: lane.nodePort("gatewayMetrics") },
        ],
        serviceName: "gateway-service",
        startup: {
            httpGet: "/healthz",
            port: "health",
            initialDelaySeconds: 5,
            periodSeconds: 5,
            failureThreshold: 30,
        },
        liveness: {
            httpGet: "/healthz",
            port: "health",
            initialDelaySeconds: 10,
            periodSeconds: 10,
            timeoutSeconds: 5,
            failureThreshold: 3,
        },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 30, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 6 },
        resources: resources(["100m", "256Mi"], ["500m", "512Mi"]),
        controlPlane: true,
        terminationGracePeriodSeconds: 30,
        coverage: lane.coverage,
    });
}
