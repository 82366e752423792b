import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KindCluster } from "../kind-cluster.js";
import type { KubernautSource } from "../../lib/kubernaut-source.js";

export interface CrdsArgs {
    readonly cluster: KindCluster;
    /** The checkout holding the CRDs. */
    readonly source: KubernautSource;
    /** Directory of the CRD files, relative to the checkout. @default "config/crd/bases" */
    readonly directory?: string;
    /** Seconds to wait for each CRD to be established. @default 60 */
    readonly establishTimeoutSeconds?: number;
}

interface CrdDocument {
    kind: string;
    metadata: { name: string };
    spec: { group: string; names: { kind: string; plural: string }; scope: string; versions: { name: string; storage?: boolean }[] };
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
                if (doc.kind !== "CustomResourceDefinition") throw new pulumi.RunError(`${args.source.path(file)}: expected CustomResourceDefinition documents, got \`${String(doc.kind)}\``);
                return doc as unknown as CrdDocument;
            }),
        );
        super(Crds.TYPE, name, {}, opts);

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
                    args.cluster.objectOptions({ parent: this }),
                );
                return [doc.metadata.name, crd];
            }),
        );
        this.registerOutputs({ names: [...this.definitions.keys()] });
    }

    /** `apiVersion` and resource name (`plural.group`) of a kind these CRDs define. */
    resourceOf(kind: string): { apiVersion: string; resource: string; namespaced: boolean } {
        const doc = this.byKind.get(kind);
        if (!doc) throw new pulumi.RunError(`Crds: no CRD defines kind \`${kind}\`; known kinds: ${[...this.byKind.keys()].join(", ")}`);
        const version = doc.spec.versions.find((v) => v.storage) ?? doc.spec.versions[0];
        return { apiVersion: `${doc.spec.group}/${version.name}`, resource: `${doc.spec.names.plural}.${doc.spec.group}`, namespaced: doc.spec.scope === "Namespaced" };
    }
}
