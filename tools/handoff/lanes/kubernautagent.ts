/**
 * kubernautagent's suite (test/e2e/kubernautagent): skip the setup, trust the stack's CA (Dex's client too), use the
 * stack's two suite tokens, and read the agent's URLs from the outputs: this lane publishes its API (and MCP), health
 * and metrics ports on 8188, 28188 and 9188, since 8088, 28088 and 9088 are aianalysis-e2e's. With KEEP_CLUSTER set
 * the teardown returns before coverage, must-gather and the cluster deletion: it needs no edit.
 */
import type { SuiteEdit } from "../edits.js";
import type { SuiteSpec } from "../suite-spec.js";

/** The spec files that reach the agent's MCP endpoint through Kubernaut's fixed URL. */
const MCP_SPEC_FILES = [
    "interactive_compat_e2e_test.go",
    "interactive_coverage_e2e_test.go",
    "interactive_discovery_e2e_test.go",
    "interactive_flow_e2e_test.go",
    "interactive_harm_e2e_test.go",
    "interactive_ux_e2e_test.go",
    "jwt_e2e_test.go",
];

/** The suite's TokenRequest arguments for one of its ServiceAccounts. */
const SA_TOKEN_ARGS = (serviceAccount: string) => `ctx, sharedNamespace, "${serviceAccount}", kubeconfigPath`;

const mcpEndpoint = (file: string): SuiteEdit => ({
    // The MCP endpoint is on the agent's API port, which moved.
    file,
    anchor: "mcpEndpoint = infrastructure.MCPEndpointForKAE2E()",
    replacement: `mcpEndpoint = stackOutputOr("mcpUrl", "", infrastructure.MCPEndpointForKAE2E())`,
});

export const kubernautagent: SuiteSpec = {
    stack: "kubernautagent-e2e",
    dir: "test/e2e/kubernautagent",
    package: "kubernautagent",
    edits: [
        {
            // Skip the setup (process 1), broadcasting what it broadcast: the kubeconfig. setupSucceeded is process
            // 1's alone and tells the teardown the run was not a setup failure.
            file: "suite_test.go",
            anchor: `\t\tclusterName = "kubernaut-agent-e2e"\n`,
            replacement:
                `\t\tclusterName = "kubernaut-agent-e2e"\n\t\tif out, ok := externalStack(); ok {\n` +
                `\t\t\tsetupSucceeded = true\n\t\t\treturn []byte(out.KubeconfigPath)\n\t\t}\n`,
        },
        {
            // The agent's API, health and metrics ports moved (set in both halves; process 1's is skipped above).
            file: "suite_test.go",
            anchor:
                `kaURL = "https://localhost:8088"\n\t\tkaHealthURL = "http://localhost:28088"\n` +
                `\t\tkaMetricsURL = "http://localhost:9088"\n`,
            replacement:
                `kaURL = stackOutputOr("kubernautAgentUrl", "", "https://localhost:8088")\n` +
                `\t\tkaHealthURL = stackOutputOr("kubernautAgentHealthUrl", "", "http://localhost:28088")\n` +
                `\t\tkaMetricsURL = stackOutputOr("kubernautAgentMetricsUrl", "/metrics", "http://localhost:9088")\n`,
            every: true,
        },
        {
            // Trust the stack's CA file, wherever the kubeconfig is: the specs' HTTPS clients build on this transport.
            file: "suite_test.go",
            anchor: "infrastructure.NewTLSAwareTransport(kubeconfigPath)",
            replacement: "stackAwareTransport(kubeconfigPath)",
            every: true,
        },
        {
            // The stack's suite token: it outlives the one-hour TokenRequest (this suite runs longer on two cores).
            file: "suite_test.go",
            anchor: `infrastructure.GetServiceAccountToken(${SA_TOKEN_ARGS("kubernaut-agent-e2e-sa")})`,
            replacement: `stackAwareToken(${SA_TOKEN_ARGS("kubernaut-agent-e2e-sa")})`,
            every: true,
        },
        {
            // The stack's second identity's token (cross-user authorization specs), for the same reason.
            file: "suite_test.go",
            anchor: `infrastructure.GetServiceAccountToken(${SA_TOKEN_ARGS("kubernaut-agent-e2e-sa-2")})`,
            replacement: `stackAwareToken(${SA_TOKEN_ARGS("kubernaut-agent-e2e-sa-2")}, true)`,
        },
        ...MCP_SPEC_FILES.map(mcpEndpoint),
        {
            // E2E-KA-COMPAT-003 calls the agent's status endpoint on Kubernaut's API port, which moved.
            file: "interactive_compat_e2e_test.go",
            anchor: `"https://localhost:8088/api/v1/status", nil)`,
            replacement: `kaURL+"/api/v1/status", nil)`,
        },
        {
            // Dex's certificate chains to the stack's CA file; Kubernaut's client looks for a CA beside the kubeconfig.
            file: "jwt_e2e_test.go",
            anchor: "\t\tdexConfig = infrastructure.DefaultDexE2EConfig(kubeconfigPath)\n",
            replacement:
                "\t\tdexConfig = infrastructure.DefaultDexE2EConfig(kubeconfigPath)\n" +
                "\t\tif _, ok := externalStack(); ok {\n" +
                "\t\t\tdexConfig.HTTPClient = &http.Client{Transport: http.DefaultTransport, " +
                "Timeout: 10 * time.Second}\n" +
                "\t\t}\n",
        },
    ],
    // Most specs name their AgentSessions (as-<IncidentID>) and a few their RemediationRequests: a second run fails
    // on AlreadyExists. The agent is up, so its finalizer goes with them.
    leftovers: ["agentsessions.kubernaut.ai", "remediationrequests.kubernaut.ai"],
    beyondSmallest:
        "The agent's API (with MCP), health and metrics URLs come from the outputs in the suite and in seven spec " +
        "files: this lane moved those three ports off aianalysis-e2e's.",
};
