/**
 * effectivenessmonitor's suite (test/e2e/effectivenessmonitor): skip the setup, trust the stack's CA, and read
 * DataStorage's URL from the outputs (this lane publishes it on 8093: 8091 is aianalysis-e2e's). With KEEP_CLUSTER set
 * the teardown returns before must-gather, coverage, the cluster deletion and the kubeconfig's removal: it needs no
 * edit. The target Pods' image is preloaded under the suite's own ref (the lane's `suiteImages`).
 */
import { trustStackCa } from "../edits.js";
import type { SuiteSpec } from "../suite-spec.js";

export const effectivenessmonitor: SuiteSpec = {
    stack: "effectivenessmonitor-e2e",
    dir: "test/e2e/effectivenessmonitor",
    package: "effectivenessmonitor",
    edits: [
        {
            // Skip the setup, broadcasting what it broadcast: the kubeconfig and the suite's token.
            file: "suite_test.go",
            anchor: `\t\tBy("Setting up isolated kubeconfig path (per TESTING_GUIDELINES.md)")\n`,
            replacement:
                `\t\tif out, ok := externalStack(); ok {\n` +
                `\t\t\treturn []byte(fmt.Sprintf("%s|%s", out.KubeconfigPath, out.SuiteToken))\n\t\t}\n` +
                `\t\tBy("Setting up isolated kubeconfig path (per TESTING_GUIDELINES.md)")\n`,
        },
        // Trust the stack's CA file, wherever the kubeconfig is (the DataStorage client builds on this transport).
        trustStackCa("suite_test.go"),
        {
            // DataStorage's host port moved: every spec that seeds or reads audit events goes through this client.
            file: "suite_test.go",
            anchor: "infrastructure.DataStorageEMHostPort())\n",
            replacement:
                "infrastructure.DataStorageEMHostPort())\n" +
                `\t\tif out, ok := externalStack(); ok {\n\t\t\tdataStorageURL = out.DataStorageURL\n\t\t}\n`,
        },
    ],
    beyondSmallest: "DataStorage's URL comes from the outputs: this lane publishes it on 8093, Kubernaut's on 8091.",
};
