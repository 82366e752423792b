import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resources } from "../../lib/k8s.js";
import { renderManifest } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { validateWorkloadArgs, workloadObjects } from "./workload.js";

export interface AlertManagerArgs extends ClusterPlacement {
    /** The loaded image, or a ref the node pulls. */
    readonly image: DeliveredImage | string;
    /** NodePort of `alertmanager-svc`. @default 30191 */
    readonly nodePort?: number;
    /** Seconds the provider waits for the Deployment (Kubernaut waits 60 s for `/-/ready`). @default 120 */
    readonly readyTimeoutSeconds?: number;
}

/**
 * AlertManager as Kubernaut's lanes run it (inventory §2.6): one receiver, the Gateway's Prometheus webhook, and
 * NodePort Service `alertmanager-svc`, where the suites inject and read alerts.
 */
export class AlertManager extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:AlertManager";

    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: AlertManagerArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const workload = validateWorkloadArgs(name, {
            ...args,
            appName: "alertmanager",
            serviceName: "alertmanager-svc",
            ports: [{ name: "http", containerPort: 9093, nodePort: args.nodePort ?? 30191 }],
            readiness: { httpGet: "/-/ready", port: "http" },
            readinessTiming: { initialDelaySeconds: 5, periodSeconds: 5 },
            liveness: { httpGet: "/-/healthy", port: "http", initialDelaySeconds: 10, periodSeconds: 10 },
            readyTimeoutSeconds: args.readyTimeoutSeconds ?? 120,
        });
        super(AlertManager.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { name: "alertmanager-config", namespace },
                data: {
                    "alertmanager.yml": namespace.apply((ns) =>
                        renderManifest("alertmanager/alertmanager.yml", { namespace: ns }),
                    ),
                },
            },
            childOptions(this, args),
        );
        this.deployment = workloadObjects(
            name,
            {
                ...workload,
                container: {
                    args: [
                        "--config.file=/etc/alertmanager/alertmanager.yml",
                        "--web.listen-address=:9093",
                        "--log.level=debug",
                    ],
                    resources: resources(["50m", "64Mi"], ["250m", "128Mi"]),
                    volumeMounts: [{ name: "config", mountPath: "/etc/alertmanager" }],
                },
                pod: { volumes: [{ name: "config", configMap: { name: config.metadata.name } }] },
            },
            this,
        ).deployment;
        this.registerOutputs({});
    }
}
