/**
 * signalprocessing-e2e: everything Kubernaut's SignalProcessing lane brings up (inventory §4.1), as one graph.
 * Images build in parallel; the cluster follows the builds; each load follows its image and the cluster; every
 * object waits only for what it needs.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ContainerImage } from "../components/container-image.js";
import { ImageLoad } from "../components/image-load.js";
import { KindCluster } from "../components/kind-cluster.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { Crds } from "../components/kubernetes/crds.js";
import { DataStorage } from "../components/kubernetes/data-storage.js";
import { InterServiceTls } from "../components/kubernetes/inter-service-tls.js";
import { Migrations } from "../components/kubernetes/migrations.js";
import { PostgreSql } from "../components/kubernetes/postgresql.js";
import { Redis } from "../components/kubernetes/redis.js";
import { SignalProcessingController } from "../components/kubernetes/signalprocessing-controller.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { PulledImage } from "../components/pulled-image.js";
import { commonConfig, parseConfig, refineWith } from "../lib/config.js";
import type { NamedPorts } from "../lib/host-ports.js";
import { imageReferenceProblem } from "../lib/names.js";
import { resolveEngine } from "../lib/engine.js";
import { BuildContext } from "../lib/fingerprint.js";
import { KubernautSource, resolveKubernautRoot } from "../lib/kubernaut-source.js";
import { goArch, NODE_COVERAGE_DIR, STANDARD_KUBEADM } from "../lib/kubernaut-lanes.js";
import { stackScope } from "../lib/stack-scope.js";

const config = {
    ...commonConfig,
    /** Kubernaut checkout. @default - `KUBERNAUT_ROOT`, then `../kubernaut` */
    kubernautRoot: z.string().optional(),
    /** SignalProcessing Rego policy, relative to the checkout. */
    policyFile: z.string().default("charts/kubernaut/examples/signalprocessing-policy.rego"),
    /** Build DataStorage with coverage and collect it (SignalProcessing is always instrumented). @default false */
    dataStorageCoverage: z.boolean().default(false),
    /** Pull PostgreSQL and Redis once on the host and load them, instead of every new cluster pulling them. @default true */
    preloadThirdPartyImages: z.boolean().default(true),
    /**
     * `BUILDER_IMAGE` and `BASE_IMAGE` build arguments of Kubernaut's service Dockerfiles: where an air-gapped mirror
     * (or the offline toolchain's stand-ins) replaces the remote builder and base images. @default - the Dockerfiles' own
     */
    builderImage: z.string().superRefine(refineWith(imageReferenceProblem)).optional(),
    baseImage: z.string().superRefine(refineWith(imageReferenceProblem)).optional(),
    postgresImage: z.string().superRefine(refineWith(imageReferenceProblem)).default("docker.io/library/postgres:16-alpine"),
    redisImage: z.string().superRefine(refineWith(imageReferenceProblem)).default("quay.io/jordigilh/redis:7-alpine"),
    /** Password of the `slm_user` role; set it as a secret (`pulumi config set --secret`). @default "test_password" */
    postgresPassword: z.string().default("test_password"),
    /** Host ports (DD-TEST-001). */
    hostPorts: z.strictObject({
        signalProcessingMetrics: z.number().int().min(1).max(65535).default(9182),
        dataStorage: z.number().int().min(1).max(65535).default(30081),
        dataStorageHealth: z.number().int().min(1).max(65535).default(30281),
        postgres: z.number().int().min(1).max(65535).default(30432),
    }).prefault({}),
};

export function hostPorts(values: Record<string, unknown>): NamedPorts {
    const ports = z.object({ hostPorts: config.hostPorts }).parse({ hostPorts: values.hostPorts });
    return Object.fromEntries(Object.entries(ports.hostPorts).map(([k, v]) => [`hostPorts.${k}`, v]));
}

export default function signalProcessingE2e() {
    const stack = pulumi.getStack();
    const cfg = parseConfig(stack, config);
    const { root, from } = resolveKubernautRoot(cfg.kubernautRoot);
    const source = KubernautSource.open(root, from, [
        ...["signalprocessing-controller", "data-storage", "db-migrate"].map((d) => ({ path: `docker/${d}.Dockerfile`, kind: "file" as const })),
        { path: "config/crd/bases", kind: "dir", suffix: ".yaml" },
        { path: "migrations", kind: "dir", suffix: ".sql" },
        { path: "deploy/data-storage/client-rbac-v2.yaml", kind: "file" },
        { path: "deploy/data-storage/service-rbac.yaml", kind: "file" },
        { path: cfg.policyFile, kind: "file", key: "policyFile" },
    ]);
    const ports = cfg.hostPorts;
    const scope = stackScope(stack, { clusterName: cfg.clusterName });
    const engine = resolveEngine({ requested: cfg.engine, bin: cfg.engineBinary, verify: false });

    // Every image builds from the repository root: one shared context is digested once.
    const context = new BuildContext(root);
    const buildArgs = {
        GOARCH: goArch(),
        ...(cfg.builderImage ? { BUILDER_IMAGE: cfg.builderImage } : {}),
        ...(cfg.baseImage ? { BASE_IMAGE: cfg.baseImage } : {}),
    };
    const build = (name: string, dockerfile: string, coverage: boolean) =>
        new ContainerImage(name, { repository: `localhost/kubernaut/${name}`, context, dockerfile, buildArgs, coverage, engine });
    const spImage = build("signalprocessing", "docker/signalprocessing-controller.Dockerfile", true);
    const dsImage = build("datastorage", "docker/data-storage.Dockerfile", cfg.dataStorageCoverage);
    const migrateImage = build("db-migrate", "docker/db-migrate.Dockerfile", false);
    const pulled = cfg.preloadThirdPartyImages
        ? { postgres: new PulledImage("postgres", { imageRef: cfg.postgresImage, engine }), redis: new PulledImage("redis", { imageRef: cfg.redisImage, engine }) }
        : undefined;

    const cluster = new KindCluster("cluster", {
        clusterName: scope.clusterName,
        nodeImage: cfg.nodeImage,
        // Kubernaut also maps 30082→8082, which no Service uses; it is left out.
        extraPortMappings: [
            { containerPort: 30182, hostPort: ports.signalProcessingMetrics },
            { containerPort: 30081, hostPort: ports.dataStorage },
            { containerPort: 30281, hostPort: ports.dataStorageHealth },
            { containerPort: 30432, hostPort: ports.postgres },
        ],
        extraMounts: [{ hostPath: scope.coverageDir, containerPath: NODE_COVERAGE_DIR }],
        ...STANDARD_KUBEADM,
        kubeletExtraArgs: { "sync-frequency": "10s" },
        kubeconfigPath: scope.kubeconfigPath,
        stateDir: scope.clusterStateDir,
        engine,
        kindBin: cfg.kindBinary,
        waitSeconds: cfg.clusterWaitSeconds,
        waitForImages: cfg.clusterAfterBuilds ? [spImage, dsImage, migrateImage] : [],
    });
    const load = (name: string, image: ContainerImage | PulledImage) => new ImageLoad(name, { image, cluster, archiveDir: scope.archiveDir });

    const namespace = new k8s.core.v1.Namespace("namespace", {
        metadata: { name: "kubernaut-system", labels: { "app.kubernetes.io/name": "kubernaut", "app.kubernetes.io/component": "signalprocessing" } },
    }, cluster.objectOptions());
    const placement = { cluster, namespace };
    const crds = new Crds("crds", { cluster, source });
    const postgres = new PostgreSql("postgresql", { ...placement, image: pulled ? load("postgres", pulled.postgres) : cfg.postgresImage, password: pulumi.secret(cfg.postgresPassword), nodePort: 30432 });
    const redis = new Redis("redis", { ...placement, image: pulled ? load("redis", pulled.redis) : cfg.redisImage });
    const migrations = new Migrations("migrations", { ...placement, source, image: load("db-migrate", migrateImage), postgres });
    const tls = new InterServiceTls("tls", { ...placement, caFile: scope.caFile });
    const dataStorage = new DataStorage("datastorage", { ...placement, source, image: load("datastorage", dsImage), postgres, redis, migrations, tls, crds, coverage: cfg.dataStorageCoverage });
    new SignalProcessingController("signalprocessing", { ...placement, source, image: load("signalprocessing", spImage), policyFile: cfg.policyFile, dataStorage, tls, crds });
    new ActionTypes("action-types", { ...placement, crds, kubeconfigPath: scope.kubeconfigPath });
    const suite = new SuiteAccess("suite", { ...placement, serviceAccountName: "signalprocessing-e2e-sa", dataStorage });

    return {
        clusterName: cluster.clusterName,
        kubeconfigPath: cluster.kubeconfigPath,
        namespace: namespace.metadata.name,
        dataStorageUrl: `https://127.0.0.1:${ports.dataStorage}`,
        dataStorageHealthUrl: `http://127.0.0.1:${ports.dataStorageHealth}`,
        signalProcessingMetricsUrl: `http://127.0.0.1:${ports.signalProcessingMetrics}/metrics`,
        postgresUrl: pulumi.secret(pulumi.interpolate`postgresql://${postgres.user}:${cfg.postgresPassword}@127.0.0.1:${ports.postgres}/${postgres.database}?sslmode=disable`),
        caFile: tls.caFile,
        coverageDir: scope.coverageDir,
        suiteServiceAccount: suite.serviceAccountName,
        suiteToken: suite.token,
        images: { signalprocessing: spImage.imageRef, datastorage: dsImage.imageRef, dbMigrate: migrateImage.imageRef },
    };
}
