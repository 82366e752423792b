/**
 * notification-e2e: Kubernaut's Notification lane (inventory §4.8) — the controller on the DataStorage spine, a mock
 * webhook standing in for Slack, PagerDuty and Teams, and the AuthWebhook.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { MockWebhook } from "../components/kubernetes/mock-webhook.js";
import { LANES } from "./lanes.js";
import { authWebhook } from "./services/auth-webhook.js";
import { notification } from "./services/notification.js";

export default defineLane(LANES["notification-e2e"], {
    build(lane) {
        const mock = new MockWebhook("mock-webhook", {
            ...lane.placement,
            image: lane.thirdParty("nginx", lane.config.mockWebhookImage),
        });
        notification(lane, [mock]);
        authWebhook(lane);
        return {
            notificationMetricsUrl: lane.hostUrl("notificationMetrics", "http", "/metrics"),
            // Kubernaut handed the AuthWebhook image to its suite through E2E_AUTHWEBHOOK_IMAGE.
            authWebhookImage: lane.images.authwebhook.imageRef,
        };
    },
});
