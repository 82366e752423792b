/**
 * Kubernaut's SignalProcessing controller (inventory §2.7): its config, its Rego policy (hot-reloaded from a directory
 * mount), the proactive-signal mappings, its ports and probes. Always instrumented: the lane measures its coverage.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautService } from "../../components/kubernetes/kubernaut-service.js";
import { resources } from "../../lib/k8s.js";
import { manifestData, renderManifest } from "../../lib/template.js";

export function signalProcessing(
    lane: LaneWith<"signalprocessing", "signalProcessingMetrics">,
    policy: pulumi.Input<string>,
): KubernautService {
    const namespace = lane.namespace.metadata.name;
    const mappings = "proactive-signal-mappings.yaml";
    return new KubernautService(
        "signalprocessing",
        {
            ...lane.placement,
            spine: lane.spine,
            appName: "signalprocessing-controller",
            image: lane.load("signalprocessing"),
            clusterRules: manifestData("signalprocessing/cluster-rules.yaml"),
            args: ["--config=/etc/signalprocessing/config.yaml"],
            env: [
                { name: "KUBERNAUT_CONTROLLER_NAMESPACE", value: namespace },
                { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            ],
            configFiles: [
                {
                    id: "config",
                    configMap: "signalprocessing-config",
                    volume: "config",
                    mountPath: "/etc/signalprocessing/config.yaml",
                    subPath: "config.yaml",
                    data: {
                        "config.yaml": namespace.apply((ns) =>
                            renderManifest("signalprocessing/controller-config.yaml", { namespace: ns }),
                        ),
                    },
                },
                // A directory mount, not subPath: the controller hot-reloads the policy when the ConfigMap changes.
                {
                    id: "policy",
                    configMap: "signalprocessing-policy",
                    volume: "policies",
                    mountPath: "/etc/signalprocessing/policies",
                    data: { "policy.rego": policy },
                },
                {
                    id: "mappings",
                    configMap: "signalprocessing-proactive-signal-mappings",
                    volume: "mappings",
                    mountPath: `/etc/signalprocessing/${mappings}`,
                    subPath: mappings,
                    data: { [mappings]: renderManifest(`signalprocessing/${mappings}`) },
                },
            ],
            ports: [
                { name: "metrics", containerPort: 9090, nodePort: lane.nodePort("signalProcessingMetrics") },
                { name: "health", containerPort: 8081, internal: true },
            ],
            serviceName: "signalprocessing-controller-metrics",
            readiness: { httpGet: "/readyz", port: "health" },
            readinessTiming: { initialDelaySeconds: 5, periodSeconds: 10 },
            liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
            resources: resources(["100m", "128Mi"], ["500m", "256Mi"]),
            // The lane always instruments SignalProcessing.
            coverage: true,
            // The component had its own type before KubernautService: the alias keeps its objects in place.
        },
        { aliases: [{ type: "kubernaut-e2e:components:SignalProcessingController" }] },
    );
}
