/**
 * Kubernaut's AuthWebhook as the lanes that run it beside their service run it: on the spine, from the lane's image,
 * with its coverage; its admission webhooks follow its rollout (`AuthWebhook`).
 */
import type { LaneWith } from "../../components/lane/lane.js";
import { AuthWebhook } from "../../components/kubernetes/auth-webhook.js";

export function authWebhook(lane: LaneWith<"authwebhook">, nodePort?: number): AuthWebhook {
    const image = lane.load("authwebhook");
    return new AuthWebhook("authwebhook", {
        ...lane.placement,
        spine: lane.spine,
        image,
        coverage: lane.coverage,
        nodePort,
    });
}
