/**
 * datastorage's suite (test/e2e/datastorage): three edits of datastorage_e2e_suite_test.go and one of the SAR spec.
 * The stack keeps Kubernaut's host ports and PostgreSQL credentials, which specs 01, 12 and 25 hard-code.
 */
import type { SuiteSpec } from "../suite-spec.js";

const SUITE = "datastorage_e2e_suite_test.go";
const TLS = {
    anchor: "tlsTransport, tlsErr := infrastructure.NewTLSAwareTransport(kubeconfigPath)",
    replacement: "tlsTransport, tlsErr := stackAwareTransport(kubeconfigPath)",
};

export const datastorage: SuiteSpec = {
    stack: "datastorage-e2e",
    dir: "test/e2e/datastorage",
    package: "datastorage",
    edits: [
        {
            // Skip the setup (the ActionType seeding and the suite's identity included), broadcasting what it
            // broadcast: the kubeconfig's path and the suite's token, as JSON.
            file: SUITE,
            anchor: `\tfunc() []byte {\n`,
            replacement:
                `\tfunc() []byte {\n\t\tif out, ok := externalStack(); ok {\n` +
                `\t\t\tsetup, err := json.Marshal(map[string]string{"kubeconfig": out.KubeconfigPath, "token": out.SuiteToken})\n` +
                `\t\t\tExpect(err).ToNot(HaveOccurred())\n\t\t\treturn setup\n\t\t}\n`,
        },
        // Trust the stack's CA file, wherever the kubeconfig is: every process's client, and the SAR spec's own.
        { file: SUITE, ...TLS },
        { file: "23_sar_access_control_test.go", ...TLS },
        {
            // Skip the teardown: KEEP_CLUSTER counts as a failure there, so it would always build and run must-gather.
            file: SUITE,
            anchor: `\t\tlogger.Info("Data Storage E2E Test Suite - Cleanup (Process 1)")\n`,
            replacement:
                `\t\tif _, ok := externalStack(); ok {\n\t\t\tinfrastructure.CleanupFailureMarker(clusterName)\n\t\t\treturn\n\t\t}\n` +
                `\t\tlogger.Info("Data Storage E2E Test Suite - Cleanup (Process 1)")\n`,
        },
    ],
    notRunnableHere: [
        {
            specs: "SOC2 Compliance Features \\(cert-manager\\)",
            count: 8,
            reason:
                "Its BeforeAll installs cert-manager with `kubectl apply -f` of a github.com release manifest whose " +
                "images are on quay.io: no internet here.",
        },
    ],
};
