/**
 * signalprocessing's suite (test/e2e/signalprocessing): skip process 1's setup and trust the stack's CA. The stack
 * keeps Kubernaut's host ports, and the teardown returns on KEEP_CLUSTER before coverage, must-gather and deletion.
 */
import { trustStackCa } from "../edits.js";
import type { SuiteSpec } from "../suite-spec.js";

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
        trustStackCa("suite_test.go"),
    ],
    // BR-SP-090 creates `e2e-audit-test-rr` in the controller's namespace and never deletes it: a second run met it.
    leftovers: ["remediationrequests.kubernaut.ai", "signalprocessings.kubernaut.ai"],
};
