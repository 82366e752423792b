/**
 * workflowexecution-e2e: Kubernaut's WorkflowExecution lane (inventory §4.6) — Tekton and AWX (the Tekton and Ansible
 * engines), the controller on the DataStorage spine started once both engines are there, the AuthWebhook, and the
 * ActionTypes and 13 RemediationWorkflows registered through its admission.
 */
import { defineLane } from "../components/lane/define-lane.js";
import { LANES } from "./lanes.js";
import { authWebhook } from "./services/auth-webhook.js";
import { catalogue } from "./services/catalogue.js";
import { engineManifests, workflowEngines } from "./services/workflow-engines.js";
import { workflowExecution } from "./services/workflowexecution.js";

export default defineLane(LANES["workflowexecution-e2e"], {
    inputs: ({ stack, config }) => engineManifests(stack, config),
    build(lane, manifests) {
        const engines = workflowEngines(lane, manifests);
        workflowExecution(lane, engines);
        const webhook = authWebhook(lane);
        const { workflows } = catalogue(lane, webhook.configurations);
        return {
            workflowExecutionMetricsUrl: lane.hostUrl("workflowExecutionMetrics", "http", "/metrics"),
            executionNamespace: engines.execution.namespace.metadata.name,
            ...(engines.awx ? { awxUrl: lane.hostUrl("awx", "http") } : {}),
            workflowIds: workflows.workflowIds,
        };
    },
});
