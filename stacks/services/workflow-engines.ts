/**
 * The workflowexecution lane's engines (inventory §4.6): the namespace workflows run in with the dependency Secrets
 * and ConfigMaps the fixtures name, Tekton from its release manifest as it is, and AWX (the Ansible engine) from its
 * operator's manifests, configured with the lane's job templates.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";
import type { LaneWith } from "../../components/lane/lane.js";
import { Awx, type AwxJobTemplate } from "../../components/kubernetes/awx.js";
import { KubernetesDocuments } from "../../components/kubernetes/documents.js";
import { WorkflowNamespace } from "../../components/kubernetes/workflow-namespace.js";
import { readPinnedFile, type PinnedFile } from "../../lib/pinned-file.js";
import { manifestData } from "../../lib/template.js";

export interface EngineManifests {
    /** Tekton Pipelines' release manifest. */
    readonly tekton: string;
    /** The AWX operator's manifests; without them, no Ansible engine. @default - none */
    readonly awxOperator?: string;
}

/** The lane's engine config, as `stacks/lanes.ts` declares it. */
export interface EngineConfig {
    readonly tektonManifest?: PinnedFile;
    readonly ansibleEngine: boolean;
    readonly awxOperatorManifest?: PinnedFile;
}

/**
 * Reads the engines' manifests (a download checked against its digest), after checking the config names them: every
 * missing one is reported at once, by key, before anything is registered.
 */
export async function engineManifests(stack: string, config: EngineConfig): Promise<EngineManifests> {
    const missing = [
        ...(config.tektonManifest
            ? []
            : [
                  "`kubernaut-e2e:tektonManifest`: required: `{ file: <path> }` or `{ url: https://github.com/tektoncd/pipeline/releases/download/v1.7.0/release.yaml, sha256: <hex> }`",
              ]),
        ...(config.ansibleEngine && !config.awxOperatorManifest
            ? [
                  "`kubernaut-e2e:awxOperatorManifest`: required while `ansibleEngine` is on: the rendered awx-operator 2.19.1 manifests, `{ file }` or `{ url, sha256 }`",
              ]
            : []),
    ];
    if (missing.length)
        throw new pulumi.RunError(
            `stack "${stack}": invalid configuration:\n${missing.map((m) => `  - ${m}`).join("\n")}`,
        );
    return {
        tekton: await readPinnedFile(config.tektonManifest!, "tektonManifest"),
        ...(config.ansibleEngine
            ? { awxOperator: await readPinnedFile(config.awxOperatorManifest!, "awxOperatorManifest") }
            : {}),
    };
}

export interface AwxSettings {
    readonly postgresImage: string;
    readonly awxAdminPassword: string;
    readonly awxDatabasePassword: string;
}

export function workflowEngines(
    lane: LaneWith<never, "awx"> & { readonly config: AwxSettings },
    manifests: EngineManifests,
) {
    const execution = new WorkflowNamespace("workflows-namespace", { cluster: lane.placement.cluster });
    const tekton = new KubernetesDocuments("tekton", {
        cluster: lane.placement.cluster,
        documents: parseAllDocuments(manifests.tekton)
            .map((d) => d.toJSON() as Record<string, unknown>)
            .filter(Boolean),
        source: "`kubernaut-e2e:tektonManifest`",
    });
    const awx =
        manifests.awxOperator === undefined
            ? undefined
            : new Awx("awx", {
                  ...lane.placement,
                  operatorManifest: manifests.awxOperator,
                  operatorSource: "`kubernaut-e2e:awxOperatorManifest`",
                  postgres: lane.spine.postgres,
                  postgresImage: lane.config.postgresImage,
                  databasePassword: pulumi.secret(lane.config.awxDatabasePassword),
                  adminPassword: pulumi.secret(lane.config.awxAdminPassword),
                  nodePort: lane.nodePort("awx"),
                  hostUrl: lane.hostUrl("awx", "http"),
                  jobTemplates: manifestData<AwxJobTemplate[]>("workflowexecution/job-templates.yaml"),
              });
    return { execution, tekton, awx };
}
