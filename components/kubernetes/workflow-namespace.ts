import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { manifestData } from "../../lib/template.js";
import type { ClusterTarget } from "../cluster-target.js";

export interface WorkflowNamespaceArgs {
    readonly cluster: ClusterTarget;
    /** @default "kubernaut-workflows" */
    readonly name?: string;
}

interface Dependency {
    readonly kind: "Secret" | "ConfigMap";
    readonly name: string;
    readonly key: string;
    readonly value: string;
}

/**
 * Where the WorkflowExecution controller runs workflows (inventory §4.6): the namespace, marked as managed by
 * Kubernaut; the Secrets and ConfigMaps the suite's dependency-injection workflows name; and ServiceAccount
 * `workflow-job-executor` with its ClusterRole, for workflows that name it.
 */
export class WorkflowNamespace extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:WorkflowNamespace";

    readonly namespace: k8s.core.v1.Namespace;
    /** The dependency objects, which workflows read when they run. */
    readonly dependencies: pulumi.Resource[];

    constructor(name: string, args: WorkflowNamespaceArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const dependencies = manifestData<Dependency[]>("workflowexecution/dependencies.yaml");
        const rules = manifestData<k8s.types.input.rbac.v1.PolicyRule[]>("workflowexecution/job-executor-rules.yaml");
        super(WorkflowNamespace.TYPE, name, {}, opts);
        const child = (extra: pulumi.CustomResourceOptions = {}) =>
            args.cluster.objectOptions({ parent: this, ...extra });

        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: { name: args.name ?? "kubernaut-workflows", labels: { "kubernaut.ai/managed": "true" } },
            },
            child(),
        );
        const namespace = this.namespace.metadata.name;
        this.dependencies = dependencies.map((d) =>
            d.kind === "Secret"
                ? new k8s.core.v1.Secret(
                      `${name}-${d.name}`,
                      { metadata: { name: d.name, namespace }, stringData: { [d.key]: d.value } },
                      child(),
                  )
                : new k8s.core.v1.ConfigMap(
                      `${name}-${d.name}`,
                      { metadata: { name: d.name, namespace }, data: { [d.key]: d.value } },
                      child(),
                  ),
        );

        const executor = new k8s.core.v1.ServiceAccount(
            `${name}-job-executor`,
            {
                metadata: {
                    name: "workflow-job-executor",
                    namespace,
                    labels: { app: "workflowexecution", component: "job-executor" },
                },
            },
            child(),
        );
        const role = new k8s.rbac.v1.ClusterRole(
            `${name}-job-executor-role`,
            { metadata: { name: "workflow-job-executor" }, rules },
            child(),
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-job-executor-binding`,
            {
                metadata: { name: "workflow-job-executor" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: executor.metadata.name, namespace }],
            },
            child(),
        );
        this.registerOutputs({ namespace });
    }
}
