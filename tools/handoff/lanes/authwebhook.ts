/**
 * authwebhook's suite (test/e2e/authwebhook): four edits of authwebhook_e2e_suite_test.go. The stack keeps Kubernaut's
 * host ports (28099, 30099), so no URL changes.
 */
import type { SuiteSpec } from "../suite-spec.js";

const SUITE = "authwebhook_e2e_suite_test.go";

export const authwebhook: SuiteSpec = {
    stack: "authwebhook-e2e",
    dir: "test/e2e/authwebhook",
    package: "authwebhook",
    edits: [
        {
            // Skip the setup (the suite's identity and the ActionTypes through admission included), broadcasting
            // what it broadcast: the kubeconfig's path.
            file: SUITE,
            anchor: `\tfunc() []byte {\n`,
            replacement:
                `\tfunc() []byte {\n` +
                `\t\tif out, ok := externalStack(); ok {\n\t\t\treturn []byte(out.KubeconfigPath)\n\t\t}\n`,
        },
        {
            // Trust the stack's CA file, wherever the kubeconfig is.
            file: SUITE,
            anchor: "tlsTransport, tlsErr := infrastructure.NewTLSAwareTransport(kubeconfigPath)",
            replacement: "tlsTransport, tlsErr := stackAwareTransport(kubeconfigPath)",
        },
        {
            // The stack's token for the suite's identity, instead of a one-hour TokenRequest per process.
            file: SUITE,
            anchor: "e2eToken, err := infrastructure.GetServiceAccountToken(",
            replacement: "e2eToken, err := stackAwareToken(",
        },
        {
            // Skip the teardown: KEEP_CLUSTER is honoured only after must-gather (Podman, a registry) on failure.
            file: SUITE,
            anchor: `\t\tlogger.Info("AuthWebhook E2E Test Suite - Cleanup (Process 1)")\n`,
            replacement:
                `\t\tif _, ok := externalStack(); ok {\n\t\t\tinfrastructure.CleanupFailureMarker(clusterName)\n\t\t\treturn\n\t\t}\n` +
                `\t\tlogger.Info("AuthWebhook E2E Test Suite - Cleanup (Process 1)")\n`,
        },
    ],
};
