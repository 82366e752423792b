/**
 * remediationorchestrator's suite (test/e2e/remediationorchestrator): skip process 1's setup and trust the stack's CA
 * wherever the suite and its specs build a DataStorage transport. Its teardown returns on KEEP_CLUSTER=true before
 * coverage, must-gather and the cluster delete, and every URL it hard-codes is this stack's host port.
 */
import { specTrustsStackCa, trustStackCa } from "../edits.js";
import type { SuiteSpec } from "../suite-spec.js";

export const remediationorchestrator: SuiteSpec = {
    stack: "remediationorchestrator-e2e",
    dir: "test/e2e/remediationorchestrator",
    package: "remediationorchestrator",
    edits: [
        {
            // Skip the setup (it builds images and deploys into ro-e2e), broadcasting what it broadcast.
            file: "suite_test.go",
            anchor: `\t\tBy("Setting up isolated kubeconfig path (per TESTING_GUIDELINES.md)")\n`,
            replacement:
                `\t\tif out, ok := externalStack(); ok {\n` +
                `\t\t\treturn []byte(fmt.Sprintf("%s|%s", out.KubeconfigPath, out.SuiteToken))\n\t\t}\n` +
                `\t\tBy("Setting up isolated kubeconfig path (per TESTING_GUIDELINES.md)")\n`,
        },
        // The suite's http.DefaultTransport and audit client, and the specs' own DataStorage clients.
        trustStackCa("suite_test.go"),
        ...specTrustsStackCa("approval_e2e_test.go"),
        ...specTrustsStackCa("audit_wiring_e2e_test.go"),
    ],
    beyondSmallest:
        "Two spec files build their own DataStorage transports, so the CA edit covers them too " +
        "(five calls in three files), not only the suite's.",
};
