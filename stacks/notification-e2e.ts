/**
 * notification-e2e: Kubernaut's Notification lane (inventory §4.8) — the controller on the DataStorage spine, a mock
 * webhook standing in for Slack, PagerDuty and Teams, and the AuthWebhook.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { thirdPartyImages } from "../components/lane/third-party.js";
import { AuthWebhook } from "../components/kubernetes/auth-webhook.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { KubernautService } from "../components/kubernetes/kubernaut-service.js";
import { MockWebhook } from "../components/kubernetes/mock-webhook.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { resources } from "../lib/k8s.js";
import { manifestData, renderManifest } from "../lib/template.js";
import { LANES } from "./lanes.js";

const LANE = LANES["notification-e2e"];
const config = { ...laneConfig(LANE), ...thirdPartyImages("mockWebhookImage") };

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function notificationE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg);
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });
    const namespace = lane.namespace.metadata.name;
    const mock = new MockWebhook("mock-webhook", { ...lane.placement, image: lane.thirdParty("nginx", cfg.mockWebhookImage) });
    // The mock's routes, which a delivery resolves through its credentialRef; test values, kept as a Secret all the same.
    const credentials = new k8s.core.v1.Secret("delivery-credentials", {
        metadata: { name: "delivery-credentials", namespace },
        stringData: manifestData<Record<string, string>>("notification/credentials.yaml"),
    }, lane.cluster.objectOptions());

    new KubernautService("notification", {
        ...lane.placement,
        spine,
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
            { id: "config", configMap: "notification-controller-config", volume: "config", mountPath: "/etc/notification", data: { "config.yaml": namespace.apply((ns) => renderManifest("notification/config.yaml", { namespace: ns })) } },
            // A directory mount: the controller watches the routing file and reloads it.
            { id: "routing", configMap: "notification-routing-config", volume: "routing-config", mountPath: "/etc/notification-routing", data: { "routing.yaml": renderManifest("notification/routing.yaml") } },
        ],
        secretMounts: [{ volume: "delivery-credentials", secretName: credentials.metadata.name, mountPath: "/etc/notification/credentials" }],
        volumes: [{ volume: { name: "notification-output", emptyDir: {} }, mount: { name: "notification-output", mountPath: "/tmp/notifications" } }],
        ports: [{ name: "metrics", containerPort: 9090, nodePort: lane.nodePort("notificationMetrics") }, { name: "health", containerPort: 8081, internal: true }],
        serviceName: "notification-metrics",
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
        resources: resources(["100m", "128Mi"], ["500m", "512Mi"]),
        controlPlane: true,
        terminationGracePeriodSeconds: 10,
        coverage: lane.coverage,
        dependsOn: [mock],
    });
    new AuthWebhook("authwebhook", { ...lane.placement, spine, image: lane.load("authwebhook"), coverage: lane.coverage });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "notification-e2e-sa", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite, {
        notificationMetricsUrl: lane.hostUrl("notificationMetrics", "http", "/metrics"),
        // Kubernaut handed the AuthWebhook image to its suite through E2E_AUTHWEBHOOK_IMAGE.
        authWebhookImage: lane.images.authwebhook.imageRef,
    });
}
