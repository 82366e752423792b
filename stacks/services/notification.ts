/**
 * Kubernaut's Notification controller (inventory §2.8): its config and routing (a directory mount: the controller
 * watches the routing file), the delivery credentials, the file channel's output directory, ports and probes.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautService } from "../../components/kubernetes/kubernaut-service.js";
import { resources } from "../../lib/k8s.js";
import { manifestData, renderManifest } from "../../lib/template.js";

/**
 * The controller and the Secret of its delivery channels' credentials (the mock's routes, which a delivery resolves
 * through its credentialRef: test values, kept as a Secret all the same). It starts after `dependsOn`, the receiver
 * its channels deliver to.
 */
export function notification(
    lane: LaneWith<"notification", "notificationMetrics">,
    dependsOn: readonly pulumi.Resource[] = [],
): KubernautService {
    const namespace = lane.namespace.metadata.name;
    const credentials = new k8s.core.v1.Secret(
        "delivery-credentials",
        {
            metadata: { name: "delivery-credentials", namespace },
            stringData: manifestData<Record<string, string>>("notification/credentials.yaml"),
        },
        lane.placement.cluster.objectOptions(),
    );
    return new KubernautService("notification", {
        ...lane.placement,
        spine: lane.spine,
        appName: "notification-controller",
        image: lane.load("notification"),
        containerName: "manager",
        labels: { "control-plane": "controller-manager" },
        clusterRules: manifestData("notification/cluster-rules.yaml"),
        clusterRoleName: "notification-controller-role",
        args: ["-config", "$(CONFIG_PATH)"],
        env: [
            { name: "CONFIG_PATH", value: "/etc/notification/config.yaml" },
            { name: "ROUTING_CONFIG_PATH", value: "/etc/notification-routing/routing.yaml" },
            { name: "KUBERNAUT_CONTROLLER_NAMESPACE", value: namespace },
            { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
        ],
        configFiles: [
            {
                id: "config",
                configMap: "notification-controller-config",
                volume: "config",
                mountPath: "/etc/notification",
                data: {
                    "config.yaml": namespace.apply((ns) =>
                        renderManifest("notification/config.yaml", { namespace: ns }),
                    ),
                },
            },
            // A directory mount: the controller watches the routing file and reloads it.
            {
                id: "routing",
                configMap: "notification-routing-config",
                volume: "routing-config",
                mountPath: "/etc/notification-routing",
                data: { "routing.yaml": renderManifest("notification/routing.yaml") },
            },
        ],
        secretMounts: [
            {
                volume: "delivery-credentials",
                secretName: credentials.metadata.name,
                mountPath: "/etc/notification/credentials",
            },
        ],
        volumes: [
            {
                volume: { name: "notification-output", emptyDir: {} },
                mount: { name: "notification-output", mountPath: "/tmp/notifications" },
            },
        ],
        ports: [
            { name: "metrics", containerPort: 9090, nodePort: lane.nodePort("notificationMetrics") },
            { name: "health", containerPort: 8081, internal: true },
        ],
        serviceName: "notification-metrics",
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
        resources: resources(["100m", "128Mi"], ["500m", "512Mi"]),
        controlPlane: true,
        terminationGracePeriodSeconds: 10,
        coverage: lane.coverage,
        dependsOn: [...dependsOn],
    });
}
