import * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";
import { renderManifest } from "../../lib/template.js";
import type { ClusterTarget } from "../cluster-target.js";
import { KubernetesDocuments } from "./documents.js";

export interface EnrichmentFixturesArgs {
    readonly cluster: ClusterTarget;
    /** Image of the fixtures' Pods: anything that runs forever (a pause image). */
    readonly image: string;
}

/**
 * The workloads Kubernaut Agent's enrichment looks up in the aianalysis and kubernautagent suites
 * (`manifests/fixtures/enrichment.yaml`): namespaces `production` and `staging`, two Deployments, a PDB, six Pods and
 * a claim that stays Pending.
 */
export class EnrichmentFixtures extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:EnrichmentFixtures";

    constructor(name: string, args: EnrichmentFixturesArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const text = renderManifest("fixtures/enrichment.yaml", { fixtureImage: args.image });
        const documents = parseAllDocuments(text)
            .map((d) => d.toJSON() as Record<string, unknown>)
            .filter(Boolean);
        super(EnrichmentFixtures.TYPE, name, {}, opts);
        const namespaces = documents.filter((d) => d.kind === "Namespace");
        const objects = documents.filter((d) => d.kind !== "Namespace");
        // Namespaces first: the objects in them cannot be created before.
        const created = new KubernetesDocuments(
            `${name}-namespaces`,
            { cluster: args.cluster, documents: namespaces, source: "manifests/fixtures/enrichment.yaml" },
            { parent: this },
        );
        new KubernetesDocuments(
            `${name}-objects`,
            {
                cluster: args.cluster,
                documents: objects,
                source: "manifests/fixtures/enrichment.yaml",
                dependsOn: [created],
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
