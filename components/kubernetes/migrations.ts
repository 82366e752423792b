import * as crypto from "node:crypto";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awaitTimeout } from "../../lib/k8s.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import type { KubernautSource } from "../../lib/kubernaut-source.js";
import type { DeliveredImage } from "../delivered-image.js";
import type { PostgreSql } from "./postgresql.js";

export interface MigrationsArgs extends ClusterPlacement {
    readonly source: KubernautSource;
    /** The loaded db-migrate image (its entrypoint is goose). */
    readonly image: DeliveredImage;
    /** The database to migrate; the Job waits for it to be available. */
    readonly postgres: PostgreSql;
    /** Directory of the goose SQL files, relative to the checkout. @default "migrations" */
    readonly directory?: string;
    /** Seconds the provider waits for the Job to complete. @default 300 */
    readonly completeTimeoutSeconds?: number;
}

/**
 * Kubernaut's SQL migrations as a Job that runs goose from the db-migrate image over a ConfigMap of the files
 * (Kubernaut
 * ran goose as a library through a port-forward, which DD-TEST-001 forbids). The Job's pod template carries a digest of
 * the files, so a changed migration replaces the Job (Jobs are immutable) and it runs again; an unchanged one is a
 * no-op.
 */
export class Migrations extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Migrations";

    /** SHA-256 over the migration files' names and contents. */
    readonly digest: string;
    readonly job: k8s.batch.v1.Job;

    constructor(name: string, args: MigrationsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const files = args.source.list(args.directory ?? "migrations", ".sql");
        const contents = Object.fromEntries(files.map((f) => [path.posix.basename(f), args.source.read(f)]));
        super(Migrations.TYPE, name, {}, opts);

        const digest = crypto.createHash("sha256");
        for (const [file, sql] of Object.entries(contents)) digest.update(`${file}\0${sql}\0`);
        this.digest = digest.digest("hex");
        const namespace = args.namespace.metadata.name;
        const pg = args.postgres;

        const files$ = new k8s.core.v1.ConfigMap(
            `${name}-files`,
            {
                metadata: { name: "datastorage-migrations", namespace },
                data: contents,
            },
            childOptions(this, args),
        );
        this.job = new k8s.batch.v1.Job(
            `${name}-job`,
            {
                metadata: {
                    name: "datastorage-migrations",
                    namespace,
                    labels: { app: "datastorage-migrations" },
                    annotations: awaitTimeout(args.completeTimeoutSeconds ?? 300),
                },
                spec: {
                    backoffLimit: 6,
                    template: {
                        metadata: {
                            labels: { app: "datastorage-migrations" },
                            annotations: { "kubernaut-e2e/migrations-sha256": this.digest },
                        },
                        spec: {
                            restartPolicy: "OnFailure",
                            containers: [
                                {
                                    name: "goose",
                                    image: args.image.imageRef,
                                    imagePullPolicy: args.image.pullPolicy,
                                    // The password reaches goose (pgx) through PGPASSWORD, never through the command
                                    // line.
                                    args: [
                                        "-dir",
                                        "/migrations",
                                        "postgres",
                                        pulumi.interpolate`host=${pg.host} port=${pg.port} user=${pg.user} dbname=${pg.database} sslmode=disable`,
                                        "up",
                                    ],
                                    env: [
                                        {
                                            name: "PGPASSWORD",
                                            valueFrom: {
                                                secretKeyRef: {
                                                    name: pg.secret.metadata.name,
                                                    key: "POSTGRES_PASSWORD",
                                                },
                                            },
                                        },
                                    ],
                                    volumeMounts: [{ name: "migrations", mountPath: "/migrations", readOnly: true }],
                                },
                            ],
                            volumes: [{ name: "migrations", configMap: { name: files$.metadata.name } }],
                        },
                    },
                },
            },
            childOptions(this, args, { dependsOn: [args.image, pg.deployment], deleteBeforeReplace: true }),
        );
        this.registerOutputs({ digest: this.digest });
    }
}
