/**
 * effectivenessmonitor-e2e: Kubernaut's EffectivenessMonitor lane (inventory §4.9) — the monitor on the DataStorage
 * spine with Prometheus and AlertManager (where the suite injects metrics and alerts), and the AuthWebhook.
 */
import * as pulumi from "@pulumi/pulumi";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { thirdPartyImages } from "../components/lane/third-party.js";
import { AlertManager } from "../components/kubernetes/alertmanager.js";
import { AuthWebhook } from "../components/kubernetes/auth-webhook.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { KubernautService } from "../components/kubernetes/kubernaut-service.js";
import { Prometheus } from "../components/kubernetes/prometheus.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { parseConfig } from "../lib/config.js";
import { resources } from "../lib/k8s.js";
import { manifestData, renderManifest } from "../lib/template.js";
import { LANES } from "./lanes.js";

const LANE = LANES["effectivenessmonitor-e2e"];
const config = { ...laneConfig(LANE), ...thirdPartyImages("prometheusImage", "alertManagerImage", "targetPodImage") };

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default function effectivenessMonitorE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const lane = openLane(LANE, cfg);
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });
    const prometheus = new Prometheus("prometheus", { ...lane.placement, image: lane.thirdParty("prometheus", cfg.prometheusImage), nodePort: lane.nodePort("prometheus") });
    const alertManager = new AlertManager("alertmanager", { ...lane.placement, image: lane.thirdParty("alertmanager", cfg.alertManagerImage), nodePort: lane.nodePort("alertManager") });
    // The suite starts Pods of this image; loaded once here so they need no registry.
    const targetPodImage = lane.thirdParty("target-pod", cfg.targetPodImage);

    new KubernautService("effectivenessmonitor", {
        ...lane.placement,
        spine,
        appName: "effectivenessmonitor-controller",
        image: lane.load("effectivenessmonitor"),
        clusterRules: manifestData("effectivenessmonitor/cluster-rules.yaml"),
        args: ["--config=/etc/effectivenessmonitor/effectivenessmonitor.yaml"],
        configFiles: [{ id: "config", configMap: "effectivenessmonitor-config", volume: "config", mountPath: "/etc/effectivenessmonitor", data: { "effectivenessmonitor.yaml": renderManifest("effectivenessmonitor/config.yaml") } }],
        // The monitor has no Service: the suite reads its results from the cluster, not from it.
        ports: [{ name: "metrics", containerPort: 9090, internal: true }, { name: "health", containerPort: 8081, internal: true }],
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 5, periodSeconds: 5 },
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 10, periodSeconds: 10 },
        resources: resources(["50m", "64Mi"], ["500m", "256Mi"]),
        coverage: lane.coverage,
        readyTimeoutSeconds: 120,
        dependsOn: [prometheus, alertManager],
    });
    new AuthWebhook("authwebhook", { ...lane.placement, spine, image: lane.load("authwebhook"), coverage: lane.coverage });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "effectivenessmonitor-e2e-sa", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite, {
        prometheusUrl: lane.hostUrl("prometheus", "http"),
        alertManagerUrl: lane.hostUrl("alertManager", "http"),
        targetPodImage: typeof targetPodImage === "string" ? targetPodImage : targetPodImage.imageRef,
    });
}
