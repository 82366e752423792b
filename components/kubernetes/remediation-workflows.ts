import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { awaitTimeout } from "../../lib/k8s.js";
import type { KubernautSource, Requirement } from "../../lib/kubernaut-source.js";
import { Problems } from "../../lib/problems.js";
import { workflowIdentity } from "../../lib/workflow-identity.js";
import { request, Step } from "../local/step.js";
import type { Crds } from "./crds.js";
import { childOptions, type ClusterPlacement } from "./placement.js";

/** Where Kubernaut keeps its workflow fixtures, one directory each. */
export const WORKFLOW_FIXTURES_DIR = "test/fixtures/workflows";

/** The checkout files a set of workflow fixtures needs, for `KubernautSource.open`. */
export function workflowFixtureFiles(fixtures: readonly string[]): Requirement[] {
    return fixtures.map((dir) => ({
        path: `${WORKFLOW_FIXTURES_DIR}/${dir}/workflow-schema.yaml`,
        kind: "file" as const,
    }));
}

/**
 * How the catalogue learns of the workflows: `status` creates them and writes the status Kubernaut's direct seeder
 * writes (the content hash and its UUID, computed here exactly as Kubernaut does), for lanes without the AuthWebhook;
 * `admission` creates them once the AuthWebhook and the ActionTypes they name are registered (`after`), and waits for
 * the status the webhook writes.
 */
export type WorkflowRegistration =
    | { readonly by: "status"; readonly kubeconfigPath: string; readonly after: readonly pulumi.Resource[] }
    | { readonly by: "admission"; readonly after: readonly pulumi.Resource[] };

export interface RemediationWorkflowsArgs extends ClusterPlacement {
    readonly source: KubernautSource;
    readonly crds: Crds;
    /** Fixture directories under `test/fixtures/workflows/`, in seeding order. */
    readonly fixtures: readonly string[];
    readonly registration: WorkflowRegistration;
    /** Seconds to wait for each workflow's registration under `admission` (Kubernaut polls 90 s). @default 90 */
    readonly registerTimeoutSeconds?: number;
}

interface WorkflowDocument {
    apiVersion?: string;
    kind?: string;
    metadata: { name: string };
    spec: Record<string, unknown>;
}

/**
 * RemediationWorkflows from the checkout's fixtures. `workflowIds` maps each workflow's name to its catalogue UUID,
 * which suites and the mock LLM's scenarios need.
 */
export class RemediationWorkflows extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:RemediationWorkflows";

    readonly names: string[];
    readonly workflowIds: Record<string, pulumi.Input<string>>;
    /** What must follow the registration. */
    readonly registered: pulumi.Resource[];

    constructor(name: string, args: RemediationWorkflowsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        const documents = args.fixtures.map((dir, i) => {
            const file = `${WORKFLOW_FIXTURES_DIR}/${dir}/workflow-schema.yaml`;
            const doc = parse(args.source.read(file)) as WorkflowDocument | null;
            if (
                doc?.kind !== "RemediationWorkflow" ||
                typeof doc.metadata?.name !== "string" ||
                typeof doc.spec !== "object"
            ) {
                problems.add(
                    `fixtures[${i}]`,
                    `${args.source.path(file)} is not a RemediationWorkflow with a name and a spec`,
                );
            }
            return doc as WorkflowDocument;
        });
        const seen = new Set<string>();
        documents.forEach((doc, i) => {
            if (doc?.metadata && seen.has(doc.metadata.name))
                problems.add(`fixtures[${i}]`, `workflow \`${doc.metadata.name}\` is defined twice`);
            if (doc?.metadata) seen.add(doc.metadata.name);
        });
        problems.throwIfAny(`RemediationWorkflows "${name}"`);
        const { apiVersion, resource } = args.crds.resourceOf("RemediationWorkflow");
        super(RemediationWorkflows.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const registration = args.registration;
        const admission = registration.by === "admission";
        this.names = documents.map((d) => d.metadata.name);

        const objects = documents.map(
            (doc) =>
                new k8s.apiextensions.CustomResource(
                    `${name}-${doc.metadata.name}`,
                    {
                        apiVersion,
                        kind: "RemediationWorkflow",
                        metadata: {
                            name: doc.metadata.name,
                            namespace,
                            ...(admission
                                ? {
                                      annotations: {
                                          "pulumi.com/waitFor": "jsonpath={.status.workflowId}",
                                          ...awaitTimeout(args.registerTimeoutSeconds ?? 90),
                                      },
                                  }
                                : {}),
                        },
                        spec: doc.spec,
                        // Declared so the status the webhook writes is an output.
                        status: undefined,
                    },
                    childOptions(this, args, { dependsOn: [args.crds, ...registration.after] }),
                ),
        );

        if (registration.by === "admission") {
            this.workflowIds = Object.fromEntries(
                objects.map((o, i) => [
                    this.names[i],
                    (o as unknown as { status: pulumi.Output<{ workflowId: string }> }).status.apply(
                        (s) => s?.workflowId ?? "",
                    ),
                ]),
            );
            this.registered = objects;
        } else {
            const identities = documents.map((doc) => workflowIdentity(doc));
            this.workflowIds = Object.fromEntries(identities.map((id, i) => [this.names[i], id.workflowId]));
            const status = new Step(
                `${name}-status`,
                {
                    create: request("kube", "patch-status", {
                        kubeconfig: registration.kubeconfigPath,
                        namespace,
                        resource,
                        name: this.names,
                        patch: identities.map((id) =>
                            JSON.stringify({
                                status: {
                                    workflowId: id.workflowId,
                                    contentHash: id.contentHash,
                                    catalogStatus: "Active",
                                    registeredBy: "test-infrastructure-seeder",
                                },
                            }),
                        ),
                        "registered-at-now": true,
                    }),
                    // A re-created cluster (or changed content) needs the status written again.
                    triggers: [args.cluster.identity, identities.map((id) => id.contentHash)],
                },
                { parent: this, dependsOn: objects },
            );
            this.registered = [status];
        }
        this.registerOutputs({ workflowIds: this.workflowIds });
    }
}
