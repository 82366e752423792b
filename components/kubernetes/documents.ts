import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_SCOPED } from "../../lib/k8s.js";
import type { ClusterTarget } from "../cluster-target.js";

/** Core-group kinds: their type tokens say `core/v1`, which a generic resource built from `apiVersion: v1` cannot. */
const CORE_KINDS: Readonly<
    Record<string, new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource>
> = {
    Namespace: k8s.core.v1.Namespace,
    ServiceAccount: k8s.core.v1.ServiceAccount,
    ConfigMap: k8s.core.v1.ConfigMap,
    Secret: k8s.core.v1.Secret,
    Service: k8s.core.v1.Service,
    Pod: k8s.core.v1.Pod,
    PersistentVolumeClaim: k8s.core.v1.PersistentVolumeClaim,
};

export interface KubernetesDocumentsArgs {
    readonly cluster: ClusterTarget;
    /** Parsed manifests (from `manifests/`, the checkout or a pinned download). */
    readonly documents: readonly Record<string, unknown>[];
    /** Where they came from, for errors. */
    readonly source: string;
    /** Namespace of namespaced documents that name none. @default - as written */
    readonly defaultNamespace?: pulumi.Input<string>;
    /** Further dependencies of every object. @default [] */
    readonly dependsOn?: readonly pulumi.Resource[];
    /** Seconds the provider waits for each object it awaits, unless the document sets its own. @default 300 */
    readonly readyTimeoutSeconds?: number;
}

interface Document {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string };
}

/** Kinds that start containers: created after the manifest's other objects. */
const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"]);

/**
 * A set of third-party manifests applied as they are, one resource per object, named `<kind>-<namespace>-<name>` so
 * each is visible in the plan and owned once. CustomResourceDefinitions are created before any object of theirs, and
 * workloads after every other object of the manifest, as `kubectl apply -f` of a release in its document order does:
 * Tekton's webhook, started first, registers itself for the ConfigMaps still to be created and refuses them while it
 * is not serving (a real workflowexecution-e2e up failed so). Chosen over `yaml.v2.ConfigGroup` so the plan under
 * mocks (and its checks) sees every object.
 */
export class KubernetesDocuments extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:KubernetesDocuments";

    readonly objects: pulumi.CustomResource[];

    constructor(name: string, args: KubernetesDocumentsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const documents = args.documents.filter((d) => d && typeof d === "object") as Document[];
        const bad = documents.findIndex(
            (d) =>
                typeof d.apiVersion !== "string" || typeof d.kind !== "string" || typeof d.metadata?.name !== "string",
        );
        if (bad >= 0)
            throw new pulumi.RunError(`${args.source}: document ${bad + 1} lacks apiVersion, kind or metadata.name`);
        super(KubernetesDocuments.TYPE, name, {}, opts);

        const crds = documents.filter((d) => d.kind === "CustomResourceDefinition");
        const definedKinds = new Set(
            crds.map(
                (d) =>
                    `${(d as { spec?: { group?: string } }).spec?.group}/${(d as { spec?: { names?: { kind?: string } } }).spec?.names?.kind}`,
            ),
        );
        const create = (doc: Document, after: readonly pulumi.Resource[]) => {
            const namespaced =
                doc.metadata?.namespace ??
                (args.defaultNamespace !== undefined && !CLUSTER_SCOPED.has(doc.kind!)
                    ? args.defaultNamespace
                    : undefined);
            // One object that never becomes ready fails with its own cause, not after the provider's 10-minute default.
            const annotations = {
                "pulumi.com/timeoutSeconds": String(args.readyTimeoutSeconds ?? 300),
                ...(doc.metadata as { annotations?: Record<string, string> }).annotations,
            };
            const metadata = {
                ...doc.metadata,
                annotations,
                ...(namespaced !== undefined ? { namespace: namespaced } : {}),
            };
            const resourceName = `${name}-${doc.kind!.toLowerCase()}-${doc.metadata?.namespace ? `${doc.metadata.namespace}-` : ""}${doc.metadata!.name}`;
            const options = args.cluster.objectOptions({
                parent: this,
                dependsOn: [...(args.dependsOn ?? []), ...after],
            });
            const core = doc.apiVersion === "v1" ? CORE_KINDS[doc.kind!] : undefined;
            if (doc.apiVersion === "v1" && !core)
                throw new pulumi.RunError(
                    `${args.source}: core kind \`${doc.kind}\` is not supported here; add it to CORE_KINDS`,
                );
            return core
                ? new core(resourceName, { ...doc, metadata } as never, options)
                : new k8s.apiextensions.CustomResource(
                      resourceName,
                      { ...(doc as { apiVersion: string; kind: string }), metadata },
                      options,
                  );
        };
        const definitions = crds.map((d) => create(d, []));
        const ofDefinedKind = (d: Document) => {
            const group = d.apiVersion!.includes("/") ? d.apiVersion!.split("/")[0] : "";
            return definedKinds.has(`${group}/${d.kind}`) ? definitions : [];
        };
        const others = documents.filter((d) => d.kind !== "CustomResourceDefinition");
        const configuration = others.filter((d) => !WORKLOADS.has(d.kind!)).map((d) => create(d, ofDefinedKind(d)));
        const workloads = others
            .filter((d) => WORKLOADS.has(d.kind!))
            .map((d) => create(d, [...ofDefinedKind(d), ...configuration]));
        this.objects = [...definitions, ...configuration, ...workloads];
        this.registerOutputs({ count: this.objects.length });
    }
}

/** Kinds without a namespace, which a default namespace must not be given to. */
