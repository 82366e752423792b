/**
 * authwebhook-e2e: Kubernaut's AuthWebhook lane (inventory §4.4) — the AuthWebhook and its admission webhooks on the
 * DataStorage spine (PostgreSQL and Redis published for the suite), ActionTypes registered through admission.
 */
import * as pulumi from "@pulumi/pulumi";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { AuthWebhook } from "../components/kubernetes/auth-webhook.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { LANES } from "./lanes.js";

const LANE = LANES["authwebhook-e2e"];
const config = laneConfig(LANE);

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function authWebhookE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg);
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });
    const webhook = new AuthWebhook("authwebhook", { ...lane.placement, spine, image: lane.load("authwebhook"), nodePort: lane.nodePort("authWebhook"), coverage: lane.coverage });
    new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "admission", after: webhook.configurations } });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "authwebhook-e2e-client", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite, {
        authWebhookUrl: lane.hostUrl("authWebhook", "https"),
        redisAddress: lane.hostAddress("redis"),
    });
}
