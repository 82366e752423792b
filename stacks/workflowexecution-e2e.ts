/**
 * workflowexecution-e2e: Kubernaut's WorkflowExecution lane (inventory §4.6) — Tekton and AWX (the Tekton and Ansible
 * engines), the controller on the DataStorage spine started once both engines are there, the AuthWebhook, and the
 * ActionTypes and 13 RemediationWorkflows registered through its admission.
 */
import * as pulumi from "@pulumi/pulumi";
import { parse, parseAllDocuments, stringify } from "yaml";
import { z } from "zod";
import { openLane } from "../components/lane/foundation.js";
import { laneOutputs } from "../components/lane/outputs.js";
import { laneConfig, laneHostPorts } from "../components/lane/spec.js";
import { ActionTypes } from "../components/kubernetes/action-types.js";
import { AuthWebhook } from "../components/kubernetes/auth-webhook.js";
import { Awx, type AwxJobTemplate } from "../components/kubernetes/awx.js";
import { DataStorageSpine } from "../components/kubernetes/data-storage-spine.js";
import { KubernetesDocuments } from "../components/kubernetes/documents.js";
import { KubernautService } from "../components/kubernetes/kubernaut-service.js";
import { RemediationWorkflows, workflowFixtureFiles } from "../components/kubernetes/remediation-workflows.js";
import { SuiteAccess } from "../components/kubernetes/suite-access.js";
import { WorkflowNamespace } from "../components/kubernetes/workflow-namespace.js";
import { parseConfig } from "../lib/config.js";
import { resources } from "../lib/k8s.js";
import { pinnedFileSchema, readPinnedFile } from "../lib/pinned-file.js";
import { manifestData, renderManifest } from "../lib/template.js";
import { LANES } from "./lanes.js";

const LANE = LANES["workflowexecution-e2e"];
const config = {
    ...laneConfig(LANE),
    /** Tekton Pipelines' release manifest (Kubernaut applies v1.7.0's `release.yaml`): a file, or a URL with its SHA-256. */
    tektonManifest: pinnedFileSchema.optional(),
    /** Run AWX, the Ansible engine (its project sync needs GitHub). @default true */
    ansibleEngine: z.boolean().default(true),
    /** The AWX operator's manifests (`kustomize build` of awx-operator 2.19.1's `config/default` for the namespace). */
    awxOperatorManifest: pinnedFileSchema.optional(),
    awxAdminPassword: z.string().min(1).default("admin_e2e_password"),
    awxDatabasePassword: z.string().min(1).default("awx_e2e_password"),
};
const WORKFLOWS = [
    "hello-world", "failing", "dep-secret-job", "dep-secret-tekton", "dep-configmap-job", "dep-configmap-tekton", "job-hello-world",
    "job-failing", "job-oomkill", "ansible-success", "ansible-failure", "dep-secret-ansible", "dep-configmap-ansible",
];

export const hostPorts = (values: Record<string, unknown>) => laneHostPorts(LANE, values);

export default async function workflowExecutionE2e() {
    const cfg = parseConfig(pulumi.getStack(), config);
    const missing = [
        ...(cfg.tektonManifest ? [] : ["`kubernaut-e2e:tektonManifest`: required: `{ file: <path> }` or `{ url: https://github.com/tektoncd/pipeline/releases/download/v1.7.0/release.yaml, sha256: <hex> }`"]),
        ...(cfg.ansibleEngine && !cfg.awxOperatorManifest ? ["`kubernaut-e2e:awxOperatorManifest`: required while `ansibleEngine` is on: the rendered awx-operator 2.19.1 manifests, `{ file }` or `{ url, sha256 }`"] : []),
    ];
    if (missing.length) throw new pulumi.RunError(`stack "${pulumi.getStack()}": invalid configuration:\n${missing.map((m) => `  - ${m}`).join("\n")}`);
    const tektonText = await readPinnedFile(cfg.tektonManifest!, "tektonManifest");
    const awxText = cfg.ansibleEngine ? await readPinnedFile(cfg.awxOperatorManifest!, "awxOperatorManifest") : undefined;

    const lane = openLane(LANE, cfg, { files: workflowFixtureFiles(WORKFLOWS) });
    const spine = new DataStorageSpine("spine", { lane, postgresImage: cfg.postgresImage, postgresPassword: pulumi.secret(cfg.postgresPassword), redisImage: cfg.redisImage });
    const namespace = lane.namespace.metadata.name;
    const execution = new WorkflowNamespace("workflows-namespace", { cluster: lane.cluster });
    const tekton = new KubernetesDocuments("tekton", {
        cluster: lane.cluster,
        documents: parseAllDocuments(tektonText).map((d) => d.toJSON() as Record<string, unknown>).filter(Boolean),
        source: "`kubernaut-e2e:tektonManifest`",
    });
    const awx = awxText === undefined ? undefined : new Awx("awx", {
        ...lane.placement,
        operatorManifest: awxText,
        operatorSource: "`kubernaut-e2e:awxOperatorManifest`",
        postgres: spine.postgres,
        postgresImage: cfg.postgresImage,
        databasePassword: pulumi.secret(cfg.awxDatabasePassword),
        adminPassword: pulumi.secret(cfg.awxAdminPassword),
        nodePort: lane.nodePort("awx"),
        hostUrl: lane.hostUrl("awx", "http"),
        jobTemplates: manifestData<AwxJobTemplate[]>("workflowexecution/job-templates.yaml"),
    });

    // The controller registers its engines once, at start: Tekton's CRDs and AWX's token must exist before it runs.
    const controllerConfig = pulumi.all([namespace, execution.namespace.metadata.name, awx?.organizationId ?? 0]).apply(([ns, executionNs, org]) => {
        const doc = parse(renderManifest("workflowexecution/config.yaml", { namespace: ns, executionNamespace: executionNs, awxOrganizationId: org })) as Record<string, unknown>;
        if (!awx) delete doc.ansible;
        return stringify(doc);
    });
    new KubernautService("workflowexecution", {
        ...lane.placement,
        spine,
        appName: "workflowexecution-controller",
        image: lane.load("workflowexecution"),
        clusterRules: manifestData("workflowexecution/cluster-rules.yaml"),
        roles: [
            { name: "workflowexecution-secret-reader", rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] },
            { name: "workflowexecution-dependency-reader", namespace: execution.namespace.metadata.name, rules: [{ apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["get", "list", "watch"] }] },
        ],
        args: ["--config=/etc/config/workflowexecution.yaml"],
        configFiles: [{ id: "config", configMap: "workflowexecution-config", volume: "config", mountPath: "/etc/config", data: { "workflowexecution.yaml": controllerConfig } }],
        ports: [{ name: "metrics", containerPort: 9090, nodePort: lane.nodePort("workflowExecutionMetrics") }, { name: "health", containerPort: 8081, internal: true }],
        serviceName: "workflowexecution-controller-metrics",
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 5, periodSeconds: 10 },
        resources: resources(["100m", "64Mi"], ["500m", "256Mi"]),
        coverage: lane.coverage,
        readyTimeoutSeconds: 180,
        dependsOn: [tekton, ...(awx ? [awx.tokenSecret] : []), ...execution.dependencies],
    });
    const webhook = new AuthWebhook("authwebhook", { ...lane.placement, spine, image: lane.load("authwebhook"), coverage: lane.coverage });
    const actionTypes = new ActionTypes("action-types", { ...lane.placement, crds: spine.crds, registration: { by: "admission", after: webhook.configurations } });
    const workflows = new RemediationWorkflows("workflows", {
        ...lane.placement, source: lane.source, crds: spine.crds, fixtures: WORKFLOWS,
        registration: { by: "admission", after: actionTypes.registered },
    });
    const suite = new SuiteAccess("suite", { ...lane.placement, serviceAccountName: "workflowexecution-e2e-sa", dataStorage: spine.dataStorage });
    return laneOutputs(lane, spine, suite, {
        workflowExecutionMetricsUrl: lane.hostUrl("workflowExecutionMetrics", "http", "/metrics"),
        executionNamespace: execution.namespace.metadata.name,
        ...(awx ? { awxUrl: lane.hostUrl("awx", "http") } : {}),
        workflowIds: workflows.workflowIds,
    });
}
