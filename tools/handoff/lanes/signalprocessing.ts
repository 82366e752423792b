/** signalprocessing's suite (test/e2e/signalprocessing): three edits of suite_test.go. */
import type { SuiteSpec } from "../suites.js";

export const signalprocessing: SuiteSpec = {
    stack: "signalprocessing-e2e",
    dir: "test/e2e/signalprocessing",
    package: "signalprocessing",
    edits: [
        {
            // Skip the setup, broadcasting what it broadcast: the kubeconfig, coverage off, the suite's token.
            file: "suite_test.go",
            anchor: `\tfunc() []byte {\n\t\tBy("Setting up SignalProcessing E2E cluster (process 1 only)")\n`,
            replacement:
                `\tfunc() []byte {\n\t\tif out, ok := externalStack(); ok {\n` +
                `\t\t\treturn []byte(fmt.Sprintf("%s|%t|%s", out.KubeconfigPath, false, out.SuiteToken))\n\t\t}\n` +
                `\t\tBy("Setting up SignalProcessing E2E cluster (process 1 only)")\n`,
        },
        {
            file: "suite_test.go",
            anchor: "tlsTransport, tlsErr := infrastructure.NewTLSAwareTransport(kubeconfigPath)",
            replacement: "tlsTransport, tlsErr := stackAwareTransport(kubeconfigPath)",
        },
        {
            // Skip the teardown (it deletes the cluster and scales the controller down for coverage).
            file: "suite_test.go",
            anchor: `\t\tBy("Deleting Kind cluster (process 1 only)")\n`,
            replacement:
                `\t\tif _, ok := externalStack(); ok {\n\t\t\tinfrastructure.CleanupFailureMarker(clusterName)\n\t\t\treturn\n\t\t}\n` +
                `\t\tBy("Deleting Kind cluster (process 1 only)")\n`,
        },
    ],
    notRunnableHere: [
        // Not this machine's: the suite itself skips it unless FLEET_E2E=true.
    ],
};
