import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NODE_COVERAGE_DIR } from "../../lib/kubernaut-lanes.js";
import type { DeliveredImage } from "../delivered-image.js";
import type { DataStorageSpine } from "./data-storage-spine.js";
import { childOptions, controlPlanePlacement, type ClusterPlacement } from "./placement.js";
import {
    validateWorkloadArgs,
    workloadObjects,
    type ProbeSpec,
    type Readiness,
    type WorkloadPort,
} from "./workload.js";

type PolicyRule = k8s.types.input.rbac.v1.PolicyRule;

/** A ConfigMap the service reads, and where it is mounted. */
export interface ConfigFiles {
    /** Suffix of the child's name. */
    readonly id: string;
    /** Name of the ConfigMap. */
    readonly configMap: string;
    /** Volume name in the Pod. */
    readonly volume: string;
    readonly data: Readonly<Record<string, pulumi.Input<string>>>;
    /** A directory holding every key, or (with `subPath`) one key as a file. */
    readonly mountPath: string;
    /**
     * Mount only this key, at `mountPath`. A directory mount sees ConfigMap updates; a subPath mount does not. @default
     * - the whole ConfigMap
     */
    readonly subPath?: string;
}

/** A Secret made elsewhere (certificates, credentials) mounted as a directory. */
export interface SecretMount {
    readonly volume: string;
    readonly secretName: pulumi.Input<string>;
    readonly mountPath: string;
    /** Start without it (Kubernaut mounts optional TLS material). @default false */
    readonly optional?: boolean;
}

/** A namespaced Role of the service, bound to its ServiceAccount. */
export interface NamespacedRole {
    readonly name: string;
    /** @default - the service's namespace */
    readonly namespace?: pulumi.Input<string>;
    readonly rules: readonly PolicyRule[];
}

export interface KubernautServiceArgs extends ClusterPlacement {
    /** Deployment name and `app` label, e.g. `signalprocessing-controller`. */
    readonly appName: string;
    /** The loaded image of the service. */
    readonly image: DeliveredImage;
    /** The spine the service runs on: its CRDs, CA and DataStorage. */
    readonly spine: DataStorageSpine;
    /** @default "controller" */
    readonly containerName?: string;
    /** Labels besides `app` on the Deployment and Pods. @default {} */
    readonly labels?: Readonly<Record<string, string>>;
    /** ServiceAccount the Pods run as, created here. @default - the app name */
    readonly serviceAccountName?: string;
    /** Rules of the ClusterRole of the same name as the ServiceAccount, bound to it. @default - no ClusterRole */
    readonly clusterRules?: readonly PolicyRule[];
    /** Name of that ClusterRole and its binding. @default - the ServiceAccount's name */
    readonly clusterRoleName?: string;
    /** Existing ClusterRoles the ServiceAccount is bound to besides its own, by binding name. @default {} */
    readonly clusterRoleBindings?: Readonly<Record<string, string>>;
    /** RoleBindings in the service's namespace to existing ClusterRoles, clusterRole by binding name. @default {} */
    readonly roleBindings?: Readonly<Record<string, string>>;
    /** Namespaced Roles of the service. @default [] */
    readonly roles?: readonly NamespacedRole[];
    /**
     * Bind the ServiceAccount to `data-storage-client` (RoleBinding `<sa>-datastorage-access`), for audit writes.
     * @default true
     */
    readonly dataStorageClient?: boolean;
    /**
     * Start only once DataStorage is ready. Kubernaut's services hold their own readiness until DataStorage's
     * `/readyz` answers; starting later costs seconds, starting earlier can cost a crash-loop back-off. @default true
     */
    readonly afterDataStorage?: boolean;
    /** Trust the inter-service CA: ConfigMap `inter-service-ca` at `/etc/tls-ca`, `TLS_CA_FILE`. @default true */
    readonly trustsInterServiceCa?: boolean;
    /** @default [] */
    readonly configFiles?: readonly ConfigFiles[];
    /** @default [] */
    readonly secretMounts?: readonly SecretMount[];
    readonly args?: pulumi.Input<pulumi.Input<string>[]>;
    /** Environment, before `TLS_CA_FILE` and `GOCOVERDIR`. @default [] */
    readonly env?: readonly k8s.types.input.core.v1.EnvVar[];
    readonly ports: readonly WorkloadPort[];
    readonly readiness: Readiness;
    readonly readinessTiming: {
        initialDelaySeconds: number;
        periodSeconds: number;
        timeoutSeconds?: number;
        failureThreshold?: number;
    };
    readonly liveness?: ProbeSpec;
    readonly startup?: ProbeSpec;
    readonly resources?: k8s.types.input.core.v1.ResourceRequirements;
    /** Pin to the control-plane node (tolerating its taint), as on kind; never on a shared cluster. @default false */
    readonly controlPlane?: boolean;
    /**
     * Collect coverage: `GOCOVERDIR=/coverdata` on the node's coverage mount, written as root (the directory is
     * root's). The image must be built with coverage. @default false
     */
    readonly coverage?: boolean;
    /** Further volumes and their mounts (emptyDirs, host paths). @default [] */
    readonly volumes?: readonly {
        volume: k8s.types.input.core.v1.Volume;
        mount: k8s.types.input.core.v1.VolumeMount;
    }[];
    readonly terminationGracePeriodSeconds?: number;
    /** @default - RollingUpdate */
    readonly strategy?: "Recreate";
    /** Name of the Service, made when a port is not internal. @default - the app name */
    readonly serviceName?: string;
    /** Seconds the provider waits for the Deployment. @default 300 */
    readonly readyTimeoutSeconds?: number;
    /** Further dependencies of the Deployment. @default [] */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * One Kubernaut service: its ServiceAccount and RBAC, its config files, a Deployment trusting the inter-service CA
 * (and collecting coverage when asked), and a Service of its published ports. Each lane's service under test is one
 * of these with that service's facts as arguments, so no lane repeats the wiring.
 */
export class KubernautService extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:KubernautService";

    readonly serviceAccountName: string;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service?: k8s.core.v1.Service;
    readonly nodePorts: Readonly<Record<string, number>>;

    constructor(name: string, args: KubernautServiceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const saName = args.serviceAccountName ?? args.appName;
        const trustsCa = args.trustsInterServiceCa ?? true;
        const coverage = args.coverage ?? false;
        const configFiles = args.configFiles ?? [];
        const secretMounts = args.secretMounts ?? [];
        const extraVolumes = args.volumes ?? [];
        const { spine } = args;
        const mounts: k8s.types.input.core.v1.VolumeMount[] = [
            ...configFiles.map((f) => ({
                name: f.volume,
                mountPath: f.mountPath,
                ...(f.subPath ? { subPath: f.subPath } : {}),
                readOnly: true,
            })),
            ...secretMounts.map((s) => ({ name: s.volume, mountPath: s.mountPath, readOnly: true })),
            ...extraVolumes.map((v) => v.mount),
            ...(coverage ? [{ name: "coverdata", mountPath: NODE_COVERAGE_DIR }] : []),
            ...(trustsCa ? [{ name: "tls-ca", mountPath: "/etc/tls-ca", readOnly: true }] : []),
        ];
        const workloadArgs = validateWorkloadArgs(name, {
            cluster: args.cluster,
            namespace: args.namespace,
            appName: args.appName,
            image: args.image,
            containerName: args.containerName ?? "controller",
            labels: args.labels,
            ports: args.ports,
            readiness: args.readiness,
            readinessTiming: args.readinessTiming,
            liveness: args.liveness,
            startup: args.startup,
            strategy: args.strategy,
            serviceName: args.serviceName,
            readyTimeoutSeconds: args.readyTimeoutSeconds,
        });
        super(KubernautService.TYPE, name, {}, opts);
        this.serviceAccountName = saName;
        const namespace = args.namespace.metadata.name;
        const child = (extra: pulumi.CustomResourceOptions = {}) => childOptions(this, args, extra);

        const account = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            { metadata: { name: saName, namespace } },
            child(),
        );
        const subjects = [{ kind: "ServiceAccount", name: account.metadata.name, namespace }];
        const rbac: pulumi.Resource[] = [account];
        if (args.clusterRules) {
            const roleName = args.clusterRoleName ?? saName;
            const role = new k8s.rbac.v1.ClusterRole(
                `${name}-role`,
                { metadata: { name: roleName }, rules: [...args.clusterRules] },
                child(),
            );
            rbac.push(
                new k8s.rbac.v1.ClusterRoleBinding(
                    `${name}-binding`,
                    {
                        metadata: { name: roleName },
                        roleRef: {
                            apiGroup: "rbac.authorization.k8s.io",
                            kind: "ClusterRole",
                            name: role.metadata.name,
                        },
                        subjects,
                    },
                    child(),
                ),
            );
        }
        for (const [binding, clusterRole] of Object.entries(args.clusterRoleBindings ?? {})) {
            rbac.push(
                new k8s.rbac.v1.ClusterRoleBinding(
                    `${name}-${binding}`,
                    {
                        metadata: { name: binding },
                        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
                        subjects,
                    },
                    child(),
                ),
            );
        }
        for (const [binding, clusterRole] of Object.entries(args.roleBindings ?? {})) {
            rbac.push(
                new k8s.rbac.v1.RoleBinding(
                    `${name}-${binding}`,
                    {
                        metadata: { name: binding, namespace },
                        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
                        subjects,
                    },
                    child(),
                ),
            );
        }
        for (const role of args.roles ?? []) {
            const roleNamespace = role.namespace ?? namespace;
            const created = new k8s.rbac.v1.Role(
                `${name}-${role.name}-role`,
                { metadata: { name: role.name, namespace: roleNamespace }, rules: [...role.rules] },
                child(),
            );
            rbac.push(
                new k8s.rbac.v1.RoleBinding(
                    `${name}-${role.name}-binding`,
                    {
                        metadata: { name: role.name, namespace: roleNamespace },
                        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: created.metadata.name },
                        subjects,
                    },
                    child(),
                ),
            );
        }
        if (args.dataStorageClient ?? true) {
            rbac.push(
                new k8s.rbac.v1.RoleBinding(
                    `${name}-datastorage-access`,
                    {
                        metadata: { name: `${saName}-datastorage-access`, namespace },
                        roleRef: {
                            apiGroup: "rbac.authorization.k8s.io",
                            kind: "ClusterRole",
                            name: "data-storage-client",
                        },
                        subjects,
                    },
                    child({ dependsOn: [spine.dataStorage.clientRole] }),
                ),
            );
        }

        const configMaps = configFiles.map(
            (f) =>
                new k8s.core.v1.ConfigMap(
                    `${name}-${f.id}`,
                    {
                        metadata: { name: f.configMap, namespace },
                        data: { ...f.data },
                    },
                    child(),
                ),
        );
        const volumes: k8s.types.input.core.v1.Volume[] = [
            ...configFiles.map((f, i) => ({ name: f.volume, configMap: { name: configMaps[i].metadata.name } })),
            ...secretMounts.map((s) => ({
                name: s.volume,
                secret: { secretName: s.secretName, ...(s.optional ? { optional: true } : {}) },
            })),
            ...extraVolumes.map((v) => v.volume),
            ...(coverage
                ? [{ name: "coverdata", hostPath: { path: NODE_COVERAGE_DIR, type: "DirectoryOrCreate" } }]
                : []),
            ...(trustsCa ? [{ name: "tls-ca", configMap: { name: spine.tls.caConfigMap.metadata.name } }] : []),
        ];
        const env = [
            ...(args.env ?? []),
            ...(trustsCa ? [{ name: "TLS_CA_FILE", value: "/etc/tls-ca/ca.crt" }] : []),
            ...(coverage ? [{ name: "GOCOVERDIR", value: NODE_COVERAGE_DIR }] : []),
        ];

        const objects = workloadObjects(
            name,
            {
                ...workloadArgs,
                container: {
                    ...(args.args ? { args: args.args } : {}),
                    env,
                    ...(args.resources ? { resources: args.resources } : {}),
                    volumeMounts: mounts,
                },
                pod: {
                    serviceAccountName: account.metadata.name,
                    ...(args.controlPlane ? controlPlanePlacement(args.cluster) : {}),
                    // Coverage counters are written into the node's /coverdata, which root owns (DD-TEST-007).
                    ...(coverage ? { securityContext: { runAsUser: 0, runAsGroup: 0 } } : {}),
                    ...(args.terminationGracePeriodSeconds !== undefined
                        ? { terminationGracePeriodSeconds: args.terminationGracePeriodSeconds }
                        : {}),
                    volumes,
                },
                dependsOn: [
                    spine.crds,
                    ...rbac,
                    ...((args.afterDataStorage ?? true) ? [spine.dataStorage.deployment] : []),
                    ...(args.dependsOn ?? []),
                ],
            },
            this,
        );
        this.deployment = objects.deployment;
        this.service = objects.service;
        this.nodePorts = objects.nodePorts;
        this.registerOutputs({ serviceAccountName: saName, nodePorts: this.nodePorts });
    }
}
