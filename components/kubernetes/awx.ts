import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";
import { awaitTimeout, SKIP_AWAIT } from "../../lib/k8s.js";
import { manifestData, renderManifest } from "../../lib/template.js";
import { request, Step } from "../local/step.js";
import { KubernetesDocuments } from "./documents.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import type { PostgreSql } from "./postgresql.js";

/** A job template the Ansible workflows run. */
export interface AwxJobTemplate {
    readonly name: string;
    readonly playbook: string;
    readonly description: string;
    readonly askCredential?: boolean;
}

export interface AwxArgs extends ClusterPlacement {
    /** The AWX operator's manifests: its kustomization rendered for the lane's namespace (a pinned file). */
    readonly operatorManifest: string;
    /** Where the operator manifest came from, for errors. */
    readonly operatorSource: string;
    /** AWX keeps its database in the lane's PostgreSQL. */
    readonly postgres: PostgreSql;
    /** Image of the database-init Job (a PostgreSQL client). */
    readonly postgresImage: string;
    /** Password of AWX's own database role: a secret. */
    readonly databasePassword: pulumi.Input<string>;
    /** Password of AWX's `admin`: a secret. */
    readonly adminPassword: pulumi.Input<string>;
    /** NodePort of AWX's web Service. */
    readonly nodePort: number;
    /** AWX's URL from the host (the NodePort's host port), for the `awx` step. */
    readonly hostUrl: string;
    readonly jobTemplates: readonly AwxJobTemplate[];
    /** Seconds AWX may take from operator install to a ready API (Kubernaut allows 12 minutes). @default 900 */
    readonly readyTimeoutSeconds?: number;
}

/**
 * AWX for the workflowexecution lane's Ansible engine (inventory §4.6): the operator, AWX's database in the shared
 * PostgreSQL, its secrets, the AWX resource, then the `awx configure` step (organization, playbooks project, inventory,
 * job templates) and Secret `awx-api-token` with the token it issues. `organizationId` feeds the controller's config.
 */
export class Awx extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Awx";

    readonly organizationId: pulumi.Output<number>;
    readonly tokenSecret: k8s.core.v1.Secret;

    constructor(name: string, args: AwxArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const documents = parseAllDocuments(args.operatorManifest)
            .map((d) => d.toJSON() as Record<string, unknown>)
            .filter(Boolean);
        const defines = (kind: string) =>
            documents.some(
                (d) =>
                    d.kind === "CustomResourceDefinition" &&
                    (d.spec as { names?: { kind?: string } })?.names?.kind === kind,
            );
        if (!defines("AWX"))
            throw new pulumi.RunError(
                `${args.operatorSource}: the AWX operator manifest defines no \`AWX\` CustomResourceDefinition`,
            );
        const spec = manifestData<Record<string, unknown>>("awx/awx.yaml", { awxNodePort: args.nodePort });
        super(Awx.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, args, extra);

        const operator = new KubernetesDocuments(
            `${name}-operator`,
            { cluster: args.cluster, documents, source: args.operatorSource, defaultNamespace: namespace },
            { parent: this },
        );
        const database = new k8s.core.v1.Secret(
            `${name}-postgres-configuration`,
            {
                metadata: { name: "awx-postgres-configuration", namespace },
                stringData: {
                    host: "postgresql",
                    port: "5432",
                    database: "awx",
                    username: "awx",
                    password: args.databasePassword,
                    sslmode: "prefer",
                    type: "unmanaged",
                },
            },
            child(),
        );
        const admin = new k8s.core.v1.Secret(
            `${name}-admin-password`,
            { metadata: { name: "awx-e2e-admin-password", namespace }, stringData: { password: args.adminPassword } },
            child(),
        );
        const secretKey = new k8s.core.v1.Secret(
            `${name}-secret-key`,
            {
                metadata: { name: "awx-e2e-secret-key", namespace },
                stringData: { secret_key: "kubernaut-e2e-awx-secret-key-not-for-production" },
            },
            child(),
        );
        const dbInit = new k8s.batch.v1.Job(
            `${name}-db-init`,
            {
                metadata: { name: "awx-db-init", namespace, annotations: awaitTimeout(300) },
                spec: {
                    backoffLimit: 10,
                    template: {
                        spec: {
                            restartPolicy: "OnFailure",
                            containers: [
                                {
                                    name: "init",
                                    image: args.postgresImage,
                                    imagePullPolicy: "IfNotPresent",
                                    command: ["sh", "-c", renderManifest("awx/db-init.sh")],
                                    env: [
                                        {
                                            name: "PGPASSWORD",
                                            valueFrom: {
                                                secretKeyRef: {
                                                    name: args.postgres.secret.metadata.name,
                                                    key: "POSTGRES_PASSWORD",
                                                },
                                            },
                                        },
                                        {
                                            name: "AWX_DB_PASSWORD",
                                            valueFrom: {
                                                secretKeyRef: { name: database.metadata.name, key: "password" },
                                            },
                                        },
                                    ],
                                },
                            ],
                        },
                    },
                },
            },
            child({ dependsOn: [args.postgres.deployment] }),
        );
        // The operator reconciles this into AWX's web and task Deployments; the step below waits for the API itself.
        const awx = new k8s.apiextensions.CustomResource(
            `${name}-instance`,
            {
                apiVersion: "awx.ansible.com/v1beta1",
                kind: "AWX",
                metadata: { name: "awx-e2e", namespace, annotations: SKIP_AWAIT },
                spec,
            },
            child({ dependsOn: [operator, database, admin, secretKey, dbInit] }),
        );

        const configure = new Step(
            `${name}-configure`,
            {
                create: request("awx", "configure", {
                    url: args.hostUrl,
                    templates: [...args.jobTemplates],
                    "timeout-seconds": args.readyTimeoutSeconds ?? 900,
                }),
                stdin: pulumi.secret(args.adminPassword),
                secretResult: true,
                // A new cluster has a new AWX, which must be configured (and issue a token) again.
                triggers: [args.cluster.identity, args.hostUrl],
            },
            { parent: this, dependsOn: [awx] },
        );
        // Only the token is secret; the organization id goes into a ConfigMap.
        this.organizationId = pulumi.unsecret(configure.result.apply((r) => Number(r.organizationId)));
        this.tokenSecret = new k8s.core.v1.Secret(
            `${name}-api-token`,
            {
                metadata: { name: "awx-api-token", namespace },
                stringData: { token: pulumi.secret(configure.result.apply((r) => String(r.token))) },
            },
            child(),
        );
        this.registerOutputs({ organizationId: this.organizationId });
    }
}
