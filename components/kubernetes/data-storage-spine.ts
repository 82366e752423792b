import * as pulumi from "@pulumi/pulumi";
import type { KubernautSource } from "../../lib/kubernaut-source.js";
import type { StackScope } from "../../lib/stack-scope.js";
import type { DeliveredImage } from "../delivered-image.js";
import type { LaneSpec } from "../lane/spec.js";
import type { ClusterPlacement } from "./placement.js";
import { Crds } from "./crds.js";
import { DataStorage } from "./data-storage.js";
import { InterServiceTls, type TlsLeaf } from "./inter-service-tls.js";
import { Migrations } from "./migrations.js";
import { PostgreSql } from "./postgresql.js";
import { Redis } from "./redis.js";

/** What the spine takes from its lane (`components/lane/lane.ts`). */
export interface SpineLane {
    readonly spec: Pick<LaneSpec, "ports" | "namespace">;
    readonly source: KubernautSource;
    readonly scope: Pick<StackScope, "caFile">;
    readonly placement: ClusterPlacement;
    /** The namespace's name (the lane's, or on a shared cluster the stack's). */
    readonly namespaceName: string;
    readonly coverage: boolean;
    load(image: "datastorage" | "db-migrate"): DeliveredImage;
    thirdParty(name: string, ref: string): DeliveredImage | string;
}

export interface DataStorageSpineArgs {
    /** The lane: its checkout, cluster, namespace, images (`datastorage`, `db-migrate`) and port table. */
    readonly lane: SpineLane;
    /** PostgreSQL image, pulled (or preloaded) from a registry or the offline toolchain. */
    readonly postgresImage: string;
    /** Password of `slm_user`: a secret. */
    readonly postgresPassword: pulumi.Input<string>;
    readonly redisImage: string;
    /** Leaf certificates the inter-service CA issues. @default - DataStorage's only */
    readonly tlsLeaves?: readonly TlsLeaf[];
}

/** NodePorts of the spine's Services where the lane's port table does not name them (inventory §2.4). */
const DEFAULT_NODE_PORTS = {
    dataStorage: 30081,
    dataStorageMetrics: 30181,
    dataStorageHealth: 30281,
    postgres: 30432,
} as const;

/**
 * What every Kubernaut lane runs beneath the service under test: all CRDs, PostgreSQL, Redis, the migrations Job,
 * inter-service TLS and DataStorage with its RBAC. NodePorts come from the lane's port table (`dataStorage`,
 * `dataStorageMetrics`, `dataStorageHealth`, `postgres`, `redis`), so each is written once.
 */
export class DataStorageSpine extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:DataStorageSpine";

    readonly crds: Crds;
    readonly postgres: PostgreSql;
    readonly redis: Redis;
    readonly migrations: Migrations;
    readonly tls: InterServiceTls;
    readonly dataStorage: DataStorage;

    constructor(name: string, args: DataStorageSpineArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(DataStorageSpine.TYPE, name, {}, opts);
        const { lane } = args;
        const ports = lane.spec.ports as Readonly<Record<string, { nodePort: number } | undefined>>;
        const nodePort = (key: keyof typeof DEFAULT_NODE_PORTS) => ports[key]?.nodePort ?? DEFAULT_NODE_PORTS[key];
        // These components were top-level before the spine existed: the alias keeps a stack's state in place.
        const child = { parent: this, aliases: [{ parent: pulumi.rootStackResource }] };
        const placement = lane.placement;

        const { cluster, namespace } = lane.placement;
        this.crds = new Crds(
            "crds",
            {
                cluster,
                source: lane.source,
                ...(cluster.shared ? { claimedBy: { namespace, name: lane.namespaceName } } : {}),
            },
            child,
        );
        this.postgres = new PostgreSql(
            "postgresql",
            {
                ...placement,
                image: lane.thirdParty("postgres", args.postgresImage),
                password: args.postgresPassword,
                nodePort: nodePort("postgres"),
            },
            child,
        );
        this.redis = new Redis(
            "redis",
            { ...placement, image: lane.thirdParty("redis", args.redisImage), nodePort: ports.redis?.nodePort },
            child,
        );
        this.migrations = new Migrations(
            "migrations",
            { ...placement, source: lane.source, image: lane.load("db-migrate"), postgres: this.postgres },
            child,
        );
        this.tls = new InterServiceTls(
            "tls",
            { ...placement, caFile: lane.scope.caFile, leaves: args.tlsLeaves },
            child,
        );
        this.dataStorage = new DataStorage(
            "datastorage",
            {
                ...placement,
                source: lane.source,
                image: lane.load("datastorage"),
                postgres: this.postgres,
                redis: this.redis,
                migrations: this.migrations,
                tls: this.tls,
                crds: this.crds,
                coverage: lane.coverage,
                nodePorts: {
                    https: nodePort("dataStorage"),
                    metrics: nodePort("dataStorageMetrics"),
                    health: nodePort("dataStorageHealth"),
                },
            },
            child,
        );
        this.registerOutputs({ dataStorageUrl: this.dataStorage.url, caFile: this.tls.caFile });
    }
}
