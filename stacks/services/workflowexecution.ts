/**
 * Kubernaut's WorkflowExecution controller (inventory §2.4): its config naming the execution namespace and the AWX
 * organization, its Secret and dependency readers, ports and probes. It registers its engines once, at start: Tekton's
 * CRDs and AWX's token must exist before it runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautService } from "../../components/kubernetes/kubernaut-service.js";
import { resources } from "../../lib/k8s.js";
import { manifestData, renderManifest } from "../../lib/template.js";
import type { workflowEngines } from "./workflow-engines.js";

export function workflowExecution(
    lane: LaneWith<"workflowexecution", "workflowExecutionMetrics">,
    engines: ReturnType<typeof workflowEngines>,
): KubernautService {
    const { execution, tekton, awx } = engines;
    const executionNamespace = execution.namespace.metadata.name;
    const config = pulumi
        .all([lane.namespace.metadata.name, executionNamespace, awx?.organizationId ?? 0])
        .apply(([namespace, executionNs, org]) => {
            const doc = parse(
                renderManifest("workflowexecution/config.yaml", {
                    namespace,
                    executionNamespace: executionNs,
                    awxOrganizationId: org,
                }),
            ) as Record<string, unknown>;
            if (!awx) delete doc.ansible;
            return stringify(doc);
        });
    return new KubernautService("workflowexecution", {
        ...lane.placement,
        spine: lane.spine,
        appName: "workflowexecution-controller",
        image: lane.load("workflowexecution"),
        clusterRules: manifestData("workflowexecution/cluster-rules.yaml"),
        roles: [
            {
                name: "workflowexecution-secret-reader",
                rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
            },
            {
                name: "workflowexecution-dependency-reader",
                namespace: executionNamespace,
                rules: [{ apiGroups: [""], resources: ["secrets", "configmaps"], verbs: ["get", "list", "watch"] }],
            },
        ],
        args: ["--config=/etc/config/workflowexecution.yaml"],
        configFiles: [
            {
                id: "config",
                configMap: "workflowexecution-config",
                volume: "config",
                mountPath: "/etc/config",
                data: { "workflowexecution.yaml": config },
            },
        ],
        ports: [
            { name: "metrics", containerPort: 9090, nodePort: lane.nodePort("workflowExecutionMetrics") },
            { name: "health", containerPort: 8081, internal: true },
        ],
        serviceName: "workflowexecution-controller-metrics",
        liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 15, periodSeconds: 20 },
        readiness: { httpGet: "/readyz", port: "health" },
        readinessTiming: { initialDelaySeconds: 5, periodSeconds: 10 },
        resources: resources(["100m", "64Mi"], ["500m", "256Mi"]),
        coverage: lane.coverage,
        readyTimeoutSeconds: 180,
        dependsOn: [tekton, ...(awx ? [awx.tokenSecret] : []), ...execution.dependencies],
    });
}
