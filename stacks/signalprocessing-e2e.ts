/**
 * signalprocessing-e2e: everything Kubernaut's SignalProcessing lane brings up (inventory §4.1), as one graph.
 * Images build in parallel; the cluster follows the builds; each load follows its image and the cluster; every
 * object waits only for what it needs.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { openLane, openLaneSource } from "../components/lane/foundation.js";
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

const LANE = LANES["signalprocessing-e2e"];
const config = {
    ...laneConfig(LANE),
    /**
     * SignalProcessing Rego policy, relative to the checkout.
     * @default - the policy Kubernaut's SP E2E setup applies ({@link E2E_SETUP}). Not the chart's example
     *   (`charts/kubernaut/examples/signalprocessing-policy.rego`): the real controller rejects it at d5a4a870
     *   (`rego_parse_error: unexpected if keyword` on line 116) and exits.
     */
    policyFile: z.string().optional(),
};

/** Where Kubernaut's SP E2E setup holds the ConfigMap of its unified policy. */
const E2E_SETUP = "test/infrastructure/signalprocessing_e2e_hybrid.go";

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function signalProcessingE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const source = openLaneSource(LANE, cfg, [cfg.policyFile ? { path: cfg.policyFile, kind: "file", key: "policyFile" } : { path: E2E_SETUP, kind: "file" }]);
    const policy = cfg.policyFile ? source.read(cfg.policyFile) : source.embeddedConfigMapData(E2E_SETUP, "signalprocessing-policy", "policy.rego", "set `kubernaut-e2e:policyFile` to the policy file instead");
    const lane = openLane(LANE, cfg, { source });
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });
    const namespace = lane.namespace.metadata.name;

    new KubernautService("signalprocessing", {
        ...lane.placement,
        spine,
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
                id: "config", configMap: "signalprocessing-config", volume: "config", mountPath: "/etc/signalprocessing/config.yaml", subPath: "config.yaml",
                data: { "config.yaml": namespace.apply((ns) => renderManifest("signalprocessing/controller-config.yaml", { namespace: ns })) },
            },
            // A directory mount, not subPath: the controller hot-reloads the policy when the ConfigMap changes.
            { id: "policy", configMap: "signalprocessing-policy", volume: "policies", mountPath: "/etc/signalprocessing/policies", data: { "policy.rego": policy } },
            {
                id: "mappings", configMap: "signalprocessing-proactive-signal-mappings", volume: "mappings",
                mountPath: "/etc/signalprocessing/proactive-signal-mappings.yaml", subPath: "proactive-signal-mappings.yaml",
                data: { "proactive-signal-mappings.yaml": renderManifest("signalprocessing/proactive-signal-mappings.yaml") },
            },
        ],
        ports: [{ name: "metrics", containerPort: 9090, nodePort: lane.nodePort("signalProcessingMetrics") }, { name: "health", containerPort: 8081, internal: true }],
        serviceName: "signalprocessing-controller-metrics",
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 5, periodSeconds: 10 },
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
        resources: resources(["100m", "128Mi"], ["500m", "256Mi"]),
        // The lane always instruments SignalProcessing.
        coverage: true,
        // The component had its own type before KubernautService: the alias keeps its objects in place.
    }, { aliases: [{ type: "kubernaut-e2e:components:SignalProcessingController" }] });
    new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "status", kubeconfigPath: lane.scope.kubeconfigPath } });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "signalprocessing-e2e-sa", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite, { signalProcessingMetricsUrl: lane.hostUrl("signalProcessingMetrics", "http", "/metrics") });
}
