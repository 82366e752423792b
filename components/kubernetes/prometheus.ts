import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { resources } from "../../lib/k8s.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { manifestData, renderManifest } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { validateWorkloadArgs, workloadObjects } from "./workload.js";

export interface PrometheusArgs extends ClusterPlacement {
    /** The loaded image, or a ref the node pulls. */
    readonly image: DeliveredImage | string;
    /** NodePort of `prometheus-svc`. @default 30190 */
    readonly nodePort?: number;
    /** Seconds the provider waits for the Deployment (Kubernaut waits 60 s for `/-/ready`). @default 120 */
    readonly readyTimeoutSeconds?: number;
}

/**
 * Prometheus as Kubernaut's lanes run it (inventory §2.6): kubelet cAdvisor scraping with its RBAC, the rule files of
 * `manifests/prometheus/rules`, the remote-write and OTLP receivers the suites push test metrics through, and NodePort
 * Service `prometheus-svc`.
 */
export class Prometheus extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Prometheus";

    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: PrometheusArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const workload = validateWorkloadArgs(name, {
            ...args,
            appName: "prometheus",
            serviceName: "prometheus-svc",
            ports: [{ name: "http", containerPort: 9090, nodePort: args.nodePort ?? 30190 }],
            readiness: { httpGet: "/-/ready", port: "http" },
            readinessTiming: { initialDelaySeconds: 5, periodSeconds: 5 },
            liveness: { httpGet: "/-/healthy", port: "http", initialDelaySeconds: 10, periodSeconds: 10 },
            readyTimeoutSeconds: args.readyTimeoutSeconds ?? 120,
        });
        const rulesDir = path.join(PROJECT_ROOT, "manifests", "prometheus", "rules");
        const rules = Object.fromEntries(
            fs
                .readdirSync(rulesDir)
                .filter((f) => f.endsWith(".yml"))
                .sort()
                .map((f) => [f, renderManifest(`prometheus/rules/${f}`)]),
        );
        super(Prometheus.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;

        const account = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            { metadata: { name: "prometheus", namespace } },
            childOptions(this, args),
        );
        const role = new k8s.rbac.v1.ClusterRole(
            `${name}-role`,
            { metadata: { name: "prometheus" }, rules: manifestData("prometheus/cluster-rules.yaml") },
            childOptions(this, args),
        );
        const binding = new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-binding`,
            {
                metadata: { name: "prometheus" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
            },
            childOptions(this, args),
        );
        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { name: "prometheus-config", namespace },
                data: {
                    "prometheus.yml": namespace.apply((ns) =>
                        renderManifest("prometheus/prometheus.yml", { namespace: ns }),
                    ),
                },
            },
            childOptions(this, args),
        );
        const ruleFiles = new k8s.core.v1.ConfigMap(
            `${name}-rules`,
            { metadata: { name: "prometheus-rules", namespace }, data: rules },
            childOptions(this, args),
        );

        this.deployment = workloadObjects(
            name,
            {
                ...workload,
                container: {
                    args: [
                        "--config.file=/etc/prometheus/prometheus.yml",
                        "--web.enable-remote-write-receiver",
                        "--web.enable-otlp-receiver",
                        "--storage.tsdb.retention.time=1h",
                        "--storage.tsdb.min-block-duration=5m",
                        "--web.listen-address=:9090",
                    ],
                    resources: resources(["200m", "256Mi"], ["3000m", "768Mi"]),
                    volumeMounts: [
                        { name: "config", mountPath: "/etc/prometheus" },
                        { name: "rules", mountPath: "/etc/prometheus/rules" },
                    ],
                },
                pod: {
                    serviceAccountName: account.metadata.name,
                    volumes: [
                        { name: "config", configMap: { name: config.metadata.name } },
                        { name: "rules", configMap: { name: ruleFiles.metadata.name } },
                    ],
                },
                dependsOn: [binding],
            },
            this,
        ).deployment;
        this.registerOutputs({});
    }
}
