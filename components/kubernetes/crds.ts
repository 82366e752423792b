import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterTarget } from "../cluster-target.js";
import type { KubernautSource } from "../../lib/kubernaut-source.js";
import { request, Step } from "../local/step.js";

export interface CrdsArgs {
    readonly cluster: ClusterTarget;
    /** The checkout holding the CRDs. */
    readonly source: KubernautSource;
    /** Directory of the CRD files, relative to the checkout. @default "config/crd/bases" */
    readonly directory?: string;
    /** Seconds to wait for each CRD to be established. @default 60 */
    readonly establishTimeoutSeconds?: number;
    /**
     * On a shared cluster: this stack's namespace, labelled with {@link CRD_CLAIM_LABEL}. The CRDs are then kept when
     * the stack goes, unless no other namespace still claims them. Required when `cluster.shared`.
     */
    readonly claimedBy?: { readonly namespace: k8s.core.v1.Namespace; readonly name: string };
}

/** The label by which a namespace on a shared cluster claims Kubernaut's CRDs. */
export const CRD_CLAIM_LABEL = { key: "kubernaut-e2e.io/uses-kubernaut-crds", value: "true" } as const;

interface CrdDocument {
    kind: string;
    metadata: { name: string };
    spec: {
        group: string;
        names: { kind: string; plural: string };
        scope: string;
        versions: { name: string; storage?: boolean }[];
    };
}

/**
 * Every CustomResourceDefinition of the checkout as one batch: anything that needs a Kubernaut CRD depends on this
 * component and so on all of them (DataStorage runs informers on several and crash-loops while one is missing).
 * Objects are parsed here rather than by `yaml.v2.ConfigGroup` so each CRD is a resource the plan can show and check.
 */
export class Crds extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Crds";

    readonly definitions: Map<string, k8s.apiextensions.v1.CustomResourceDefinition>;
    private readonly byKind = new Map<string, CrdDocument>();

    constructor(name: string, args: CrdsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const directory = args.directory ?? "config/crd/bases";
        const documents = args.source.list(directory, ".yaml").flatMap((file) =>
            args.source.documents(file).map((doc) => {
                if (doc.kind !== "CustomResourceDefinition")
                    throw new pulumi.RunError(
                        `${args.source.path(file)}: expected CustomResourceDefinition documents, got \`${String(doc.kind)}\``,
                    );
                return doc as unknown as CrdDocument;
            }),
        );
        if (args.cluster.shared && !args.claimedBy)
            throw new pulumi.RunError(`Crds "${name}": \`claimedBy\` is required on a shared cluster`);
        super(Crds.TYPE, name, {}, opts);

        // On a shared cluster another stack may use the same CRDs: the provider never deletes them (retainOnDelete);
        // the release step below does, once no namespace claims them. The claim (the namespace) comes first.
        const shared = args.cluster.shared ? { retainOnDelete: true, dependsOn: [args.claimedBy!.namespace] } : {};
        const timeout = String(args.establishTimeoutSeconds ?? 60);
        this.definitions = new Map(
            documents.map((doc) => {
                this.byKind.set(doc.spec.names.kind, doc);
                const crd = new k8s.apiextensions.v1.CustomResourceDefinition(
                    `${name}-${doc.spec.names.plural}`,
                    {
                        ...(doc as unknown as k8s.apiextensions.v1.CustomResourceDefinitionArgs),
                        metadata: {
                            ...doc.metadata,
                            annotations: {
                                ...((doc.metadata as { annotations?: Record<string, string> }).annotations ?? {}),
                                "pulumi.com/waitFor": "condition=Established",
                                "pulumi.com/timeoutSeconds": timeout,
                            },
                        },
                    },
                    args.cluster.objectOptions({ parent: this, ...shared }),
                );
                return [doc.metadata.name, crd];
            }),
        );
        if (args.claimedBy) {
            const claim = {
                kubeconfig: args.cluster.kubeconfigPath,
                namespace: args.claimedBy.name,
                claim: `${CRD_CLAIM_LABEL.key}=${CRD_CLAIM_LABEL.value}`,
                name: [...this.definitions.keys()],
            };
            new Step(
                `${name}-release`,
                { create: request("kube", "claim-crds", claim), delete: request("kube", "release-crds", claim) },
                {
                    parent: this,
                    dependsOn: [args.cluster.ready, args.claimedBy.namespace, ...this.definitions.values()],
                },
            );
        }
        this.registerOutputs({ names: [...this.definitions.keys()] });
    }

    /** `apiVersion` and resource name (`plural.group`) of a kind these CRDs define. */
    resourceOf(kind: string): { apiVersion: string; resource: string; namespaced: boolean } {
        const doc = this.byKind.get(kind);
        if (!doc)
            throw new pulumi.RunError(
                `Crds: no CRD defines kind \`${kind}\`; known kinds: ${[...this.byKind.keys()].join(", ")}`,
            );
        const version = doc.spec.versions.find((v) => v.storage) ?? doc.spec.versions[0];
        return {
            apiVersion: `${doc.spec.group}/${version.name}`,
            resource: `${doc.spec.names.plural}.${doc.spec.group}`,
            namespaced: doc.spec.scope === "Namespaced",
        };
    }
}
