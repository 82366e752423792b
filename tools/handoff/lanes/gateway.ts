/**
 * gateway's suite (test/e2e/gateway): five edits of gateway_e2e_suite_test.go. The stack keeps Kubernaut's host ports
 * but one, DataStorage's health port, which the audit specs (23, 24) read from the environment.
 */
import type { SuiteSpec } from "../suite-spec.js";

const SUITE = "gateway_e2e_suite_test.go";

export const gateway: SuiteSpec = {
    stack: "gateway-e2e",
    dir: "test/e2e/gateway",
    package: "gateway",
    edits: [
        {
            // Skip the setup, broadcasting what it broadcast: the kubeconfig's path.
            file: SUITE,
            anchor: `\tfunc(specCtx SpecContext) []byte {\n`,
            replacement:
                `\tfunc(specCtx SpecContext) []byte {\n` +
                `\t\tif out, ok := externalStack(); ok {\n\t\t\treturn []byte(out.KubeconfigPath)\n\t\t}\n`,
        },
        {
            // Trust the stack's CA file, wherever the kubeconfig is.
            file: SUITE,
            anchor: "tlsTransport, tlsErr := infrastructure.NewTLSAwareTransport(kubeconfigPath)",
            replacement: "tlsTransport, tlsErr := stackAwareTransport(kubeconfigPath)",
        },
        {
            // Every process made the suite's identity; the stack has it, bound to `gateway-service-client`.
            file: SUITE,
            anchor:
                `\t\terr = infrastructure.CreateE2EServiceAccountWithGatewayAccess(\n` +
                `\t\t\tsaCtx, gatewayNamespace, kubeconfigPath, "e2e-gateway-suite-sa", GinkgoWriter,\n\t\t)\n`,
            replacement:
                `\t\tif _, ok := externalStack(); !ok {\n` +
                `\t\t\terr = infrastructure.CreateE2EServiceAccountWithGatewayAccess(\n` +
                `\t\t\t\tsaCtx, gatewayNamespace, kubeconfigPath, "e2e-gateway-suite-sa", GinkgoWriter,\n\t\t\t)\n\t\t}\n`,
        },
        {
            // The stack's token for that identity, instead of a one-hour TokenRequest per process.
            file: SUITE,
            anchor: "e2eAuthToken, err = infrastructure.GetServiceAccountToken(",
            replacement: "e2eAuthToken, err = stackAwareToken(",
        },
        {
            // Skip the teardown: even with KEEP_CLUSTER it builds and runs must-gather (Podman, a registry) on failure.
            file: SUITE,
            anchor: `\t\tlogger.Info("Gateway E2E Test Suite - Teardown (Process 1)")\n`,
            replacement:
                `\t\tif _, ok := externalStack(); ok {\n\t\t\tinfrastructure.CleanupFailureMarker(clusterName)\n\t\t\treturn\n\t\t}\n` +
                `\t\tlogger.Info("Gateway E2E Test Suite - Teardown (Process 1)")\n`,
        },
    ],
    // Kubernaut's 28091 is datastorage-e2e's metrics port here; specs 23 and 24 add `/readyz` themselves.
    env: { TEST_DATA_STORAGE_HEALTH_URL: { output: "dataStorageHealthUrl" } },
    beyondSmallest:
        "Every process, not only the first, created the suite's ServiceAccount with its ClusterRole and binding; " +
        "that step is skipped too, since the stack has them (its binding under another name).",
};
