/**
 * gateway-e2e: Kubernaut's Gateway lane (inventory §4.2) — the Gateway on the DataStorage spine, the ActionType
 * catalogue, and the suite's identity with its Gateway client role.
 */
import * as pulumi from "@pulumi/pulumi";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { KubernautService } from "../components/kubernetes/kubernaut-service.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { resources } from "../lib/k8s.js";
import { manifestData, renderManifest } from "../lib/template.js";
import { LANES } from "./lanes.js";

const LANE = LANES["gateway-e2e"];
const config = laneConfig(LANE);

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function gatewayE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg);
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });
    const namespace = lane.namespace.metadata.name;

    new KubernautService("gateway", {
        ...lane.placement,
        spine,
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
        configFiles: [{
            id: "config", configMap: "gateway-config", volume: "config", mountPath: "/etc/gateway",
            data: { "config.yaml": namespace.apply((ns) => renderManifest("gateway/config.yaml", { namespace: ns })) },
        }],
        ports: [
            { name: "http", containerPort: 8080, nodePort: lane.nodePort("gateway") },
            { name: "health", containerPort: 8081, nodePort: lane.nodePort("gatewayHealth") },
            { name: "metrics", containerPort: 9090, nodePort: lane.nodePort("gatewayMetrics") },
        ],
        serviceName: "gateway-service",
        startup: { httpGet: "/healthz", port: "health", initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 30 },
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 30, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 6 },
        resources: resources(["100m", "256Mi"], ["500m", "512Mi"]),
        controlPlane: true,
        terminationGracePeriodSeconds: 30,
        coverage: lane.coverage,
    });
    new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "status", kubeconfigPath: lane.scope.kubeconfigPath } });
    const suite = new SuiteAccess("suite", {
        ...lane.placement,
        serviceAccountName: "e2e-gateway-suite-sa",
        dataStorage: spine.dataStorage,
        clusterRoles: [{ name: "gateway-service-client", rules: [{ apiGroups: [""], resources: ["services"], resourceNames: ["gateway-service"], verbs: ["create"] }] }],
    });
    return laneOutputs(lane, spine, suite, {
        gatewayUrl: lane.hostUrl("gateway", "http"),
        gatewayHealthUrl: lane.hostUrl("gatewayHealth", "http"),
        gatewayMetricsUrl: lane.hostUrl("gatewayMetrics", "http", "/metrics"),
    });
}
