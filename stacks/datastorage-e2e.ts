/**
 * datastorage-e2e: Kubernaut's DataStorage lane (inventory §4.3) — the spine alone, its PostgreSQL published for the
 * suite's direct queries, the ActionType catalogue, and the suite's client identity.
 */
import * as pulumi from "@pulumi/pulumi";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { LANES } from "./lanes.js";

const LANE = LANES["datastorage-e2e"];
const config = laneConfig(LANE);

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function dataStorageE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg);
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });
    new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "status", kubeconfigPath: lane.scope.kubeconfigPath } });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "datastorage-e2e-client", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite);
}
