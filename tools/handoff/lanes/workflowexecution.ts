/**
 * workflowexecution's suite (test/e2e/workflowexecution): skip process 1's setup before it deletes the cluster,
 * broadcasting the catalogue UUIDs the stack registered; trust the stack's CA; skip the teardown, which collects a
 * must-gather and prunes podman images before it looks at KEEP_CLUSTER. Its hard-coded URLs are this stack's ports.
 */
import { trustStackCa } from "../edits.js";
import type { SuiteSpec } from "../suite-spec.js";

const TEARDOWN_ANCHOR = "\t\t// Detect setup failure: if k8sClient is nil, BeforeSuite failed\n";

export const workflowexecution: SuiteSpec = {
    stack: "workflowexecution-e2e",
    dir: "test/e2e/workflowexecution",
    package: "workflowexecution",
    // Process 1 broadcast JSON, and the specs look workflows up in the UUID map it carried.
    goHelper: `
// stackSharedState is the state process 1 broadcast after its setup (the specs check each UUID they use).
func stackSharedState(out stackOutputs) ([]byte, error) {
\treturn json.Marshal(map[string]any{
\t\t"kubeconfig":    out.KubeconfigPath,
\t\t"authToken":     out.SuiteToken,
\t\t"workflowUUIDs": out.WorkflowIDs,
\t})
}
`,
    edits: [
        {
            // Skip the setup: it first deletes any cluster named workflowexecution-e2e, i.e. the stack's.
            file: "workflowexecution_e2e_suite_test.go",
            anchor: "\t\tclusterName = infrastructure.WorkflowExecutionClusterName\n",
            replacement:
                "\t\tclusterName = infrastructure.WorkflowExecutionClusterName\n" +
                "\t\tif out, ok := externalStack(); ok {\n" +
                "\t\t\tstate, err := stackSharedState(out)\n" +
                "\t\t\tExpect(err).ToNot(HaveOccurred())\n" +
                "\t\t\treturn state\n\t\t}\n",
        },
        // Trust the stack's CA file for http.DefaultTransport, which the specs' DataStorage clients wrap.
        trustStackCa("workflowexecution_e2e_suite_test.go"),
        {
            // Skip the teardown: KEEP_CLUSTER only spares the cluster, after a podman must-gather build.
            file: "workflowexecution_e2e_suite_test.go",
            anchor: TEARDOWN_ANCHOR,
            replacement:
                "\t\tif _, ok := externalStack(); ok {\n" +
                "\t\t\tinfrastructure.CleanupFailureMarker(clusterName)\n\t\t\treturn\n\t\t}\n" +
                TEARDOWN_ANCHOR,
        },
    ],
    notRunnableHere: [
        {
            specs: "Ansible Engine E2E",
            count: 7,
            reason:
                "AWX (operator, AWX and its execution environment) cannot be built offline and its playbooks sync " +
                "from GitHub, so the stack runs with `ansibleEngine: false`.",
        },
        {
            specs: "WorkflowExecution (Lifecycle|Observability) E2E|E2E-WE-006-00[46]|E2E-WE-1661-SNAPSHOT",
            count: 15,
            reason:
                "They run Tekton bundles quay.io/kubernaut-cicd/tekton-bundles/hello-world and failing:v1.0.0 (pushed " +
                "by Kubernaut's Makefile with `tkn bundle push`, one pinned by digest), which Tekton's bundles " +
                "resolver fetches from quay.io, and whose step image, registry.access.redhat.com/ubi10/ubi-minimal:latest, " +
                "the kubelet always pulls (`:latest`); the toolchain neither builds those bundles nor serves them and " +
                "that image from a local registry yet.",
        },
        {
            specs: "E2E-WE-(014-002|019-001|019-002):",
            count: 3,
            reason:
                "They run quay.io/kubernaut-cicd/test-workflows/job-failing and job-oomkill by manifest digest " +
                "(infrastructure.TestJob…ExecutionBundle), content only quay.io has: no local build has that digest.",
        },
    ],
    beyondSmallest:
        "Process 1 broadcast JSON with the workflow catalogue's UUIDs, rebuilt from the `workflowIds` output, and " +
        "the teardown needs its own skip because the suite collects a must-gather before it reads KEEP_CLUSTER.",
};
