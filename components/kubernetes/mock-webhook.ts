import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renderManifest } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { validateWorkloadArgs, workloadObjects } from "./workload.js";

export interface MockWebhookArgs extends ClusterPlacement {
    /** An nginx image, loaded or pulled by the node. */
    readonly image: DeliveredImage | string;
    /** Seconds the provider waits for the Deployment. @default 120 */
    readonly readyTimeoutSeconds?: number;
}

/**
 * The notification lane's stand-in for Slack, PagerDuty and Teams: nginx answering each delivery route with a fixed
 * status (`manifests/mock-webhook/default.conf`), at `http://mock-webhook:8080`.
 */
export class MockWebhook extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:MockWebhook";

    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: MockWebhookArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const workload = validateWorkloadArgs(name, {
            ...args,
            appName: "mock-webhook",
            containerName: "nginx",
            labels: { component: "test-infrastructure" },
            ports: [{ name: "http", containerPort: 8080 }],
            // Kubernaut waited for nothing here; a success route doubles as the readiness check.
            readiness: { httpGet: "/webhook", port: "http" },
            readinessTiming: { initialDelaySeconds: 1, periodSeconds: 2 },
            readyTimeoutSeconds: args.readyTimeoutSeconds ?? 120,
        });
        super(MockWebhook.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { name: "mock-webhook-config", namespace },
                data: { "default.conf": renderManifest("mock-webhook/default.conf") },
            },
            childOptions(this, args),
        );
        this.deployment = workloadObjects(
            name,
            {
                ...workload,
                container: { volumeMounts: [{ name: "config", mountPath: "/etc/nginx/conf.d" }] },
                pod: { volumes: [{ name: "config", configMap: { name: config.metadata.name } }] },
            },
            this,
        ).deployment;
        this.registerOutputs({});
    }
}
