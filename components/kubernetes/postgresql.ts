import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    awaitTimeout,
    execProbe,
    nodePortProblem,
    oneReplicaDeployment,
    resources,
    SKIP_AWAIT,
    timeoutProblem,
} from "../../lib/k8s.js";
import { Problems } from "../../lib/problems.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { nodePortOn } from "../cluster-target.js";
import type { DeliveredImage } from "../delivered-image.js";
import { servicePorts } from "./service-spec.js";

export interface PostgreSqlArgs extends ClusterPlacement {
    /** The loaded image (`postgres:16-alpine`), or a ref the node pulls itself. */
    readonly image: DeliveredImage | string;
    /** Password of `user`: a secret. */
    readonly password: pulumi.Input<string>;
    /** @default "slm_user" */
    readonly user?: string;
    /** @default "action_history" */
    readonly database?: string;
    /** NodePort of the `postgresql` Service (kind maps it to the host). @default 30432 */
    readonly nodePort?: number;
    /** Size of the data volume, in GiB. @default 1 */
    readonly storageGi?: number;
    /** Seconds the provider waits for the Deployment to be available. @default 300 */
    readonly readyTimeoutSeconds?: number;
}

/** A role or database name goose, psql and the DataStorage config can all take unquoted. */
function postgresNameProblem(value: string): string | undefined {
    return /^[a-z_][a-z0-9_]{0,62}$/.test(value)
        ? undefined
        : `\`${value}\` is not a plain PostgreSQL identifier (lowercase letters, digits, _)`;
}

/**
 * DataStorage's PostgreSQL: Secret `postgresql-secret`, NodePort Service `postgresql`, volume claim
 * `postgresql-data` and Deployment `postgresql`, with the `pg_isready` probes Kubernaut uses.
 */
export class PostgreSql extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:PostgreSql";

    readonly user: string;
    readonly database: string;
    readonly port = 5432;
    readonly nodePort: number;
    /** Password of `user`: a secret. */
    readonly password: pulumi.Output<string>;
    /** In-cluster host name. */
    readonly host: pulumi.Output<string>;
    readonly secret: k8s.core.v1.Secret;
    readonly service: k8s.core.v1.Service;
    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: PostgreSqlArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        problems.check("user", args.user === undefined ? undefined : postgresNameProblem(args.user));
        problems.check("database", args.database === undefined ? undefined : postgresNameProblem(args.database));
        problems.check("nodePort", args.nodePort === undefined ? undefined : nodePortProblem(args.nodePort));
        if (args.storageGi !== undefined && (!Number.isInteger(args.storageGi) || args.storageGi < 1))
            problems.add("storageGi", `${args.storageGi} must be a whole number of GiB, at least 1`);
        problems.check(
            "readyTimeoutSeconds",
            args.readyTimeoutSeconds === undefined ? undefined : timeoutProblem(args.readyTimeoutSeconds),
        );
        problems.throwIfAny(`PostgreSql "${name}"`);
        super(PostgreSql.TYPE, name, {}, opts);
        this.user = args.user ?? "slm_user";
        this.database = args.database ?? "action_history";
        this.nodePort = args.nodePort ?? 30432;
        const namespace = args.namespace.metadata.name;
        const labels = { app: "postgresql" };
        const image = typeof args.image === "string" ? args.image : args.image.imageRef;
        const password = pulumi.secret(args.password);
        this.password = password;

        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: { name: "postgresql-secret", namespace },
                stringData: {
                    POSTGRES_USER: this.user,
                    POSTGRES_PASSWORD: password,
                    POSTGRES_DB: this.database,
                    // DataStorage reads its credentials from this file, mounted through a projected volume.
                    "db-secrets.yaml": pulumi.interpolate`username: ${this.user}\npassword: ${password}\n`,
                },
            },
            childOptions(this, args),
        );
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: {
                    name: "postgresql",
                    namespace,
                    labels,
                    annotations: awaitTimeout(args.readyTimeoutSeconds ?? 300),
                },
                spec: servicePorts(nodePortOn(args.cluster, this.nodePort), "postgresql", this.port, labels),
            },
            childOptions(this, args),
        );
        const claim = new k8s.core.v1.PersistentVolumeClaim(
            `${name}-data`,
            {
                // kind's storage class binds on first use: waiting for the claim before its Pod exists would deadlock.
                metadata: { name: "postgresql-data", namespace, annotations: SKIP_AWAIT },
                spec: {
                    accessModes: ["ReadWriteOnce"],
                    resources: { requests: { storage: `${args.storageGi ?? 1}Gi` } },
                },
            },
            childOptions(this, args),
        );
        const ready = execProbe(["pg_isready", "-U", this.user, "-d", this.database], {
            initialDelaySeconds: 5,
            periodSeconds: 5,
            timeoutSeconds: 3,
        });
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            oneReplicaDeployment(
                { name: "postgresql", namespace, labels, annotations: awaitTimeout(args.readyTimeoutSeconds ?? 300) },
                {
                    containers: [
                        {
                            name: "postgresql",
                            image,
                            imagePullPolicy: "IfNotPresent",
                            args: ["-c", "max_connections=200"],
                            ports: [{ name: "postgresql", containerPort: this.port }],
                            envFrom: [{ secretRef: { name: this.secret.metadata.name } }],
                            env: [{ name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }],
                            resources: resources(["250m", "512Mi"], ["500m", "1Gi"]),
                            readinessProbe: ready,
                            livenessProbe: { ...ready, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
                            volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
                        },
                    ],
                    volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim.metadata.name } }],
                },
            ),
            childOptions(this, args, { dependsOn: typeof args.image === "string" ? [] : [args.image] }),
        );
        this.host = pulumi.interpolate`postgresql.${namespace}.svc.cluster.local`;
        this.registerOutputs({ host: this.host, nodePort: this.nodePort });
    }
}
