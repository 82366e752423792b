/**
 * notification-e2e: Kubernaut's Notification lane (inventory §4.8) — the controller on the DataStorage spine, a mock
 * webhook standing in for Slack, PagerDuty and Teams, and the AuthWebhook.
 */
import * as k8s from "@pulumi/kubernetes";
import { defineLane } from "../components/lane/define-lane.js";
import { AuthWebhook } from "../components/kubernetes/auth-webhook.js";
import { MockWebhook } from "../components/kubernetes/mock-webhook.js";
import { manifestData } from "../lib/template.js";
import { LANES } from "./lanes.js";
import { notification } from "./services/notification.js";

export default defineLane(LANES["notification-e2e"], {
    build(lane) {
        const mock = new MockWebhook("mock-webhook", {
            ...lane.placement,
            image: lane.thirdParty("nginx", lane.config.mockWebhookImage),
        });
        // The mock's routes, which a delivery resolves through its credentialRef; test values, kept as a Secret all the same.
        const credentials = new k8s.core.v1.Secret(
            "delivery-credentials",
            {
                metadata: { name: "delivery-credentials", namespace: lane.namespace.metadata.name },
                stringData: manifestData<Record<string, string>>("notification/credentials.yaml"),
            },
            lane.cluster.objectOptions(),
        );
        notification(lane, { credentialsSecret: credentials.metadata.name, dependsOn: [mock] });
        new AuthWebhook("authwebhook", {
            ...lane.placement,
            spine: lane.spine,
            image: lane.load("authwebhook"),
            coverage: lane.coverage,
        });
        return {
            notificationMetricsUrl: lane.hostUrl("notificationMetrics", "http", "/metrics"),
            // Kubernaut handed the AuthWebhook image to its suite through E2E_AUTHWEBHOOK_IMAGE.
            authWebhookImage: lane.images.authwebhook.imageRef,
        };
    },
});
