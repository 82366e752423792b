/**
 * A lane's config schema, derived from its spec: every stack's keys (with the lane's own defaults, such as its
 * `clusterWaitSeconds`), every lane's keys (`hostPorts` with one key per port-table entry, `dockerfiles` with one key
 * per image), and the lane's own keys. The parsed type is inferred from the same schema, so nothing is declared twice.
 * Also what the offline toolchain's profile sets beneath it, and the host ports a config publishes.
 */
import { z } from "zod";
import { commonConfig, refineWith, type MachineDefaults } from "../../lib/config.js";
import type { NamedPorts } from "../../lib/host-ports.js";
import { imageReferenceProblem } from "../../lib/names.js";
import type { ToolchainProfile } from "../../lib/toolchain/profile.js";
import type { LaneSpec } from "./spec.js";

const port = () => z.number().int().min(1).max(65535);
const image = () => z.string().superRefine(refineWith(imageReferenceProblem));

/** The `hostPorts` key of a lane: one port per entry of its table, each defaulting to the table's host port. */
export function hostPortsSchema(spec: LaneSpec) {
    const shape: Record<string, z.ZodDefault<z.ZodNumber>> = Object.fromEntries(
        Object.entries(spec.ports).map(([key, p]) => [key, port().default(p.hostPort)]),
    );
    return z.strictObject(shape).prefault({});
}

/** Config keys every Kubernaut lane understands, on top of {@link commonConfig}. */
function laneKeys(spec: LaneSpec) {
    const dockerfiles: Record<string, z.ZodOptional<z.ZodString>> = Object.fromEntries(
        Object.keys(spec.images).map((name) => [name, z.string().min(1).optional()]),
    );
    return {
        /**
         * Kubernaut checkout. @default - `KUBERNAUT_ROOT`, then `../kubernaut`, then the offline toolchain's pinned
         * tree
         */
        kubernautRoot: z.string().optional(),
        /** Build the `option` images with coverage and collect it (Kubernaut's `E2E_COVERAGE=true`). @default false */
        coverage: z.boolean().default(false),
        /**
         * Pull third-party images once on the host and load them, instead of every new cluster pulling them. @default
         * true
         */
        preloadThirdPartyImages: z.boolean().default(true),
        /**
         * `BUILDER_IMAGE` and `BASE_IMAGE` build arguments of Kubernaut's service Dockerfiles: where an air-gapped
         * mirror (or the offline toolchain's stand-ins) replaces the remote builder and base images.
         * @default - the toolchain's stand-ins when it is built, else the Dockerfiles' own
         */
        builderImage: image().optional(),
        baseImage: image().optional(),
        /**
         * A Dockerfile to build instead of the checkout's, per image of the lane (a path; relative to this project,
         * `~/`
         * is the home): for a Dockerfile that pins a remote image no build argument replaces, as db-migrate's goose
         * builder does (the toolchain's `toolchain/ubi/db-migrate.Dockerfile`). The context stays the checkout.
         * @default - the checkout's Dockerfile of each image (db-migrate's: the toolchain's, when it is built)
         */
        dockerfiles: z.strictObject(dockerfiles).prefault({}),
        /**
         * Local images tagged as a third-party image the lane runs, by that image's ref, instead of pulling it: for
         * images no registry serves here, such as those the lane's suite starts (`docker.io/library/busybox:1.36`).
         * @default - the toolchain's stand-ins for the suite's images when it is built, else none
         */
        imageStandIns: z.record(z.string().superRefine(refineWith(imageReferenceProblem)), image()).default({}),
        /**
         * `false` sets the CPU requests of the cluster's workloads to zero (limits stay): a node's allocatable CPU is
         * its host's, and on two cores Kubernaut's requests plus the Pods a suite starts do not fit (gateway's
         * Test 39 deploys a DataStorage of its own). @default - `false` on a toolchain machine of two cores or fewer
         */
        cpuRequests: z.boolean().default(true),
        /** @default - the toolchain's PostgreSQL when it is built, else `docker.io/library/postgres:16-alpine` */
        postgresImage: image().default("docker.io/library/postgres:16-alpine"),
        /** @default - the toolchain's Redis when it is built, else `quay.io/jordigilh/redis:7-alpine` */
        redisImage: image().default("quay.io/jordigilh/redis:7-alpine"),
        /**
         * Password of the `slm_user` role; set it as a secret (`pulumi config set --secret`). @default "test_password"
         */
        postgresPassword: z.string().default("test_password"),
        /** Host ports (DD-TEST-001). */
        hostPorts: hostPortsSchema(spec),
        /**
         * Run on this existing cluster instead of a kind cluster of the stack's own: `kubeconfig` (its contents, set
         * with `pulumi config set --secret --path kubernaut-e2e:cluster.kubeconfig`) or `kubeconfigFile` (`~/` is the
         * home), and `context`. Needs `registry`; the lane then lives in the namespace named after the stack.
         * @default - a kind cluster
         */
        cluster: z
            .strictObject({
                kubeconfig: z.string().min(1).optional(),
                kubeconfigFile: z.string().min(1).optional(),
                context: z.string().min(1).optional(),
                /**
                 * `false` sets the CPU requests of the lane's containers to zero, so more lanes fit a small cluster.
                 * @default - the lane's `cpuRequests`
                 */
                cpuRequests: z.boolean().optional(),
            })
            .refine(
                (c) => (c.kubeconfig === undefined) !== (c.kubeconfigFile === undefined),
                "give `kubeconfig` or `kubeconfigFile`, one of them",
            )
            .optional(),
    };
}

/** Every lane's keys: every stack's, with the lane's own defaults, and every lane's. */
function everyLaneShape(spec: LaneSpec) {
    return { ...commonConfig({ clusterWaitSeconds: spec.clusterWaitSeconds }), ...laneKeys(spec) };
}

/** The whole config schema of a lane's stack: every lane's keys and its own. */
export function laneConfigShape(spec: LaneSpec): z.ZodRawShape {
    return { ...everyLaneShape(spec), ...spec.config };
}

/** What every lane's config has (`hostPorts` and `dockerfiles` keyed as the lane's port table and images are). */
export type EveryLaneConfig = z.infer<z.ZodObject<ReturnType<typeof everyLaneShape>>>;
/** A lane's own keys, parsed. */
type OwnConfig<S extends LaneSpec> = S["config"] extends z.ZodRawShape
    ? z.infer<z.ZodObject<S["config"]>>
    : Record<never, never>;

/** A lane's parsed config: every lane's keys and its own, typed from the schemas that parse them. */
export type LaneConfig<S extends LaneSpec> = EveryLaneConfig & OwnConfig<S>;

/** Config keys of images the toolchain stands in for, and the profile's role of each. */
const TOOLCHAIN_IMAGES = {
    builderImage: "goBuilder",
    baseImage: "ubiBase",
    postgresImage: "postgres",
    redisImage: "redis",
    prometheusImage: "prometheus",
    alertManagerImage: "alertManager",
    dexImage: "dex",
    mockWebhookImage: "mockWebhook",
    fixtureImage: "pause",
} as const satisfies Record<string, keyof ToolchainProfile["images"]>;

/** What the offline toolchain's profile sets beneath a lane's stack config; keys the lane lacks are ignored. */
export function laneToolchainDefaults(
    spec: LaneSpec,
    profile: ToolchainProfile | undefined,
    from: string,
): MachineDefaults | undefined {
    if (!profile) return undefined;
    const values: Record<string, unknown> = { nodeImage: profile.nodeImage, engine: profile.engine };
    for (const [key, role] of Object.entries(TOOLCHAIN_IMAGES)) values[key] = profile.images[role];
    const standIns = Object.entries(spec.suiteImages ?? {}).filter(([, role]) => profile.images[role]);
    if (standIns.length)
        values.imageStandIns = Object.fromEntries(standIns.map(([ref, role]) => [ref, profile.images[role]]));
    for (const [image, dockerfile] of Object.entries(profile.dockerfiles))
        if (image in spec.images) values[`dockerfiles.${image}`] = dockerfile;
    if (profile.cpus !== undefined && profile.cpus <= 2) values.cpuRequests = false;
    const own = spec.config ?? {};
    if ("tektonManifest" in own && profile.tektonManifest) values.tektonManifest = { file: profile.tektonManifest };
    // The toolchain cannot build AWX (not on any registry these machines reach): its lane runs without Ansible.
    if ("ansibleEngine" in own) values.ansibleEngine = false;
    return { values, source: "toolchain", from };
}

/** The lane's host ports for a config, by config key: what stacks check against each other. */
export function laneHostPorts(spec: LaneSpec, values: Record<string, unknown>): NamedPorts {
    // On an existing cluster the lane publishes nothing on this host.
    if (values.cluster !== undefined) return {};
    const ports = z.object({ hostPorts: hostPortsSchema(spec) }).parse({ hostPorts: values.hostPorts });
    return Object.fromEntries(Object.entries(ports.hostPorts).map(([k, v]) => [`hostPorts.${k}`, v]));
}
