/**
 * aianalysis's suite (test/e2e/aianalysis): skip the setup, trust the stack's CA, and read DataStorage's health URL
 * from the outputs, the one host port of this lane that is not Kubernaut's (30281 is signalprocessing-e2e's).
 * The teardown needs no edit: with KEEP_CLUSTER set it returns before must-gather, coverage and the cluster deletion.
 */
import type { SuiteSpec } from "../suite-spec.js";

/** DataStorage's health URL in Go: the stack's, else Kubernaut's 30281 (signalprocessing-e2e's port here). */
const DATA_STORAGE_HEALTH = `stackOutputOr("dataStorageHealthUrl", "", "http://localhost:30281")`;

export const aianalysis: SuiteSpec = {
    stack: "aianalysis-e2e",
    dir: "test/e2e/aianalysis",
    package: "aianalysis",
    edits: [
        {
            // Skip the setup, broadcasting what it broadcast: the kubeconfig and the suite's token.
            file: "suite_test.go",
            anchor: `\t\t// Set cluster configuration\n\t\tclusterName = "aianalysis-e2e"\n`,
            replacement:
                `\t\tif out, ok := externalStack(); ok {\n` +
                `\t\t\treturn []byte(fmt.Sprintf("%s|%s", out.KubeconfigPath, out.SuiteToken))\n\t\t}\n` +
                `\t\t// Set cluster configuration\n\t\tclusterName = "aianalysis-e2e"\n`,
        },
        {
            // Trust the stack's CA file (http.DefaultTransport and the DataStorage client), wherever the kubeconfig is.
            file: "suite_test.go",
            anchor: "infrastructure.NewTLSAwareTransport(kubeconfigPath)",
            replacement: "stackAwareTransport(kubeconfigPath)",
            every: true,
        },
        {
            // DataStorage's health port moved (E2E "should verify Data Storage is reachable").
            file: "01_health_endpoints_test.go",
            anchor: `httpClient.Get("http://localhost:30281/readyz")`,
            replacement: `httpClient.Get(${DATA_STORAGE_HEALTH} + "/readyz")`,
        },
    ],
    // E2E-AA-056-001/-003 name their RemediationRequest refs, so their AgentSessions (as-e2e-rr-001/-003 in
    // kubernaut-system) are adopted by a second run; they keep API Frontend's terminal-close finalizer, which no
    // controller of this lane removes.
    leftovers: ["agentsessions.kubernaut.ai"],
    beyondSmallest: "DataStorage's health URL comes from the outputs: this lane publishes it on 28391, not 30281.",
};
