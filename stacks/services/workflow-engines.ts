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

/** `ghcr.io/tektoncd/pipeline/controller-10a3e32792f33651396d02b6855a6e36:v1.7.0@sha256:…` → `controller-10a3…`. */
function imageShortName(ref: string): string {
    const repository = ref.split("@")[0].replace(/:[^/:]*$/, "");
    return repository
        .split("/")
        .pop()!
        .replace(/[^a-z0-9-]/g, "-")
        .slice(0, 40);
}

/**
 * The images a manifest's workloads run, and those its containers name in `-<x>-image <ref>` arguments (Tekton's
 * controller: entrypoint, nop, shell, …), Windows' left out.
 */
export function manifestImages(documents: readonly Record<string, unknown>[]): string[] {
    type Container = { image?: string; args?: string[] };
    const refs = new Set<string>();
    for (const doc of documents) {
        const pod = (doc.spec as { template?: { spec?: Record<string, Container[] | undefined> } } | undefined)
            ?.template?.spec;
        for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
            if (c.image) refs.add(c.image);
            (c.args ?? []).forEach((arg, i, args) => {
                if (/^-[\w-]+-image$/.test(arg) && !arg.endsWith("-win") && args[i + 1]) refs.add(args[i + 1]);
            });
        }
    }
    return [...refs].sort();
}

export function workflowEngines(
    lane: LaneWith<never, "awx"> & { readonly config: AwxSettings },
    manifests: EngineManifests,
) {
    const execution = new WorkflowNamespace("workflows-namespace", { cluster: lane.placement.cluster });
    const documents = parseAllDocuments(manifests.tekton)
        .map((d) => d.toJSON() as Record<string, unknown>)
        .filter(Boolean);
    // Tekton's images, and those its controller hands to TaskRun Pods, loaded like the lane's other third-party ones.
    const loads = manifestImages(documents).flatMap((ref) => {
        const delivered = lane.thirdParty(`tekton-${imageShortName(ref)}`, ref);
        return typeof delivered === "string" ? [] : [delivered];
    });
    const tekton = new KubernetesDocuments("tekton", {
        cluster: lane.placement.cluster,
        documents,
        source: "`kubernaut-e2e:tektonManifest`",
        dependsOn: loads,
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
