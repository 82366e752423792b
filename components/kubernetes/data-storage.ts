import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resources } from "../../lib/k8s.js";
import { NODE_COVERAGE_DIR } from "../../lib/kubernaut-lanes.js";
import type { KubernautSource } from "../../lib/kubernaut-source.js";
import { Problems } from "../../lib/problems.js";
import { renderManifest } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import type { Crds } from "./crds.js";
import type { InterServiceTls } from "./inter-service-tls.js";
import type { Migrations } from "./migrations.js";
import { childOptions, controlPlanePlacement, type ClusterPlacement } from "./placement.js";
import type { PostgreSql } from "./postgresql.js";
import { createRbac, rehome } from "./rbac-documents.js";
import type { Redis } from "./redis.js";
import { validateWorkloadArgs, workloadObjects } from "./workload.js";

export interface DataStorageArgs extends ClusterPlacement {
    readonly source: KubernautSource;
    /** The loaded DataStorage image. */
    readonly image: DeliveredImage;
    readonly postgres: PostgreSql;
    readonly redis: Redis;
    /** DataStorage crash-loops until the schema exists, so its Deployment waits for the migrations. */
    readonly migrations: Migrations;
    /** Supplies `datastorage-tls` and `datastorage-signing`. */
    readonly tls: InterServiceTls;
    /** DataStorage watches RemediationWorkflows and ActionTypes and crash-loops while their CRDs are missing. */
    readonly crds: Crds;
    /** NodePorts of `data-storage-service`. @default { https: 30081, metrics: 30181, health: 30281 } */
    readonly nodePorts?: { readonly https: number; readonly metrics: number; readonly health: number };
    /**
     * Run with `GOCOVERDIR=/coverdata` on the node's `/coverdata` (needs an image built with coverage). @default false
     */
    readonly coverage?: boolean;
    /** Seconds the provider waits for the Deployment (its readiness probe starts after 30 s). @default 300 */
    readonly readyTimeoutSeconds?: number;
}

const CLIENT_FILE = "deploy/data-storage/client-rbac-v2.yaml";
const SERVICE_FILE = "deploy/data-storage/service-rbac.yaml";

/**
 * The DataStorage API: its RBAC (from the checkout's `deploy/data-storage/` files, each object once), ConfigMap
 * `datastorage-config`, NodePort Service `data-storage-service` and Deployment `datastorage`.
 */
export class DataStorage extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:DataStorage";

    readonly serviceName = "data-storage-service";
    readonly nodePorts: { readonly https: number; readonly metrics: number; readonly health: number };
    /** In-cluster base URL. */
    readonly url: pulumi.Output<string>;
    /** ClusterRole `data-storage-client`, which clients bind to. */
    readonly clientRole: pulumi.CustomResource;
    readonly service: k8s.core.v1.Service;
    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: DataStorageArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // The client file also carries example bindings; the lanes apply only its ClusterRole.
        const clientDocs = args.source.documents(CLIENT_FILE).filter((d) => d.kind === "ClusterRole");
        const serviceDocs = args.source.documents(SERVICE_FILE);
        const problems = new Problems();
        const has = (docs: Record<string, unknown>[], kind: string, objectName: string) =>
            docs.some((d) => d.kind === kind && (d.metadata as { name?: string })?.name === objectName);
        if (!has(clientDocs, "ClusterRole", "data-storage-client"))
            problems.add("source", `${args.source.path(CLIENT_FILE)} must define ClusterRole \`data-storage-client\``);
        if (!has(serviceDocs, "ServiceAccount", "data-storage-sa"))
            problems.add("source", `${args.source.path(SERVICE_FILE)} must define ServiceAccount \`data-storage-sa\``);
        const nodePorts = args.nodePorts ?? { https: 30081, metrics: 30181, health: 30281 };
        const coverage = args.coverage ?? false;
        problems.throwIfAny(`DataStorage "${name}"`);
        const workload = validateWorkloadArgs(name, {
            ...args,
            appName: "datastorage",
            containerName: "datastorage",
            serviceName: "data-storage-service",
            ports: [
                { name: "https", containerPort: 8080, nodePort: nodePorts.https },
                { name: "metrics", containerPort: 9090, nodePort: nodePorts.metrics },
                { name: "health", containerPort: 8081, nodePort: nodePorts.health },
            ],
            readiness: { httpGet: "/readyz", port: "health" },
            readinessTiming: { initialDelaySeconds: 30, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
            liveness: {
                httpGet: "/healthz",
                port: "health",
                initialDelaySeconds: 45,
                periodSeconds: 15,
                timeoutSeconds: 10,
                failureThreshold: 5,
            },
            readyTimeoutSeconds: args.readyTimeoutSeconds ?? 300,
        });
        super(DataStorage.TYPE, name, {}, opts);

        this.nodePorts = nodePorts;
        const namespace = args.namespace.metadata.name;
        const client = createRbac(`${name}-client`, CLIENT_FILE, clientDocs, childOptions(this, args));
        const service = createRbac(
            `${name}-service`,
            SERVICE_FILE,
            serviceDocs.map((d) => rehome(d, namespace)),
            childOptions(this, args),
        );
        this.clientRole = client.get("ClusterRole/data-storage-client")!;
        const serviceAccount = service.get("ServiceAccount/data-storage-sa")!;

        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { name: "datastorage-config", namespace },
                data: {
                    "config.yaml": pulumi
                        .all([args.postgres.host, args.redis.host])
                        .apply(([postgresHost, redisHost]) =>
                            renderManifest("datastorage/config.yaml", { postgresHost, redisHost }),
                        ),
                },
            },
            childOptions(this, args),
        );

        const objects = workloadObjects(
            name,
            {
                ...workload,
                container: {
                    env: [
                        { name: "CONFIG_PATH", value: "/etc/datastorage/config.yaml" },
                        { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                        ...(coverage ? [{ name: "GOCOVERDIR", value: NODE_COVERAGE_DIR }] : []),
                    ],
                    resources: resources(["250m", "512Mi"], ["500m", "1Gi"]),
                    volumeMounts: [
                        { name: "config", mountPath: "/etc/datastorage" },
                        { name: "secrets", mountPath: "/etc/datastorage/secrets", readOnly: true },
                        { name: "tls", mountPath: "/etc/tls", readOnly: true },
                        { name: "signing", mountPath: "/etc/signing-certs", readOnly: true },
                        ...(coverage ? [{ name: "coverdata", mountPath: NODE_COVERAGE_DIR }] : []),
                    ],
                },
                pod: {
                    serviceAccountName: "data-storage-sa",
                    ...controlPlanePlacement(args.cluster),
                    // Coverage counters are written by root into the node's /coverdata (DD-TEST-007).
                    ...(coverage ? { securityContext: { runAsUser: 0, runAsGroup: 0 } } : {}),
                    volumes: [
                        { name: "config", configMap: { name: config.metadata.name } },
                        {
                            name: "secrets",
                            projected: {
                                sources: [
                                    {
                                        secret: {
                                            name: args.postgres.secret.metadata.name,
                                            items: [{ key: "db-secrets.yaml", path: "db-secrets.yaml" }],
                                        },
                                    },
                                    {
                                        secret: {
                                            name: args.redis.secret.metadata.name,
                                            items: [{ key: "redis-secrets.yaml", path: "redis-secrets.yaml" }],
                                        },
                                    },
                                ],
                            },
                        },
                        {
                            name: "tls",
                            secret: {
                                secretName:
                                    args.tls.leafSecrets.get("datastorage-tls")?.metadata.name ?? "datastorage-tls",
                                optional: true,
                            },
                        },
                        { name: "signing", secret: { secretName: args.tls.signingSecret.metadata.name } },
                        ...(coverage
                            ? [{ name: "coverdata", hostPath: { path: NODE_COVERAGE_DIR, type: "DirectoryOrCreate" } }]
                            : []),
                    ],
                },
                dependsOn: [args.migrations, args.crds, args.tls, args.redis.deployment, serviceAccount],
            },
            this,
        );
        this.service = objects.service!;
        this.deployment = objects.deployment;

        this.url = pulumi.interpolate`https://${this.serviceName}.${namespace}.svc.cluster.local:8080`;
        this.registerOutputs({ url: this.url, nodePorts: this.nodePorts });
    }
}
