/**
 * Kubernaut Agent as the aianalysis and kubernautagent lanes run it (inventory §2.6): on the lane's three agent ports,
 * after the mock LLM (and Dex, for interactive logins), with the URLs the suites read.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { LaneWith } from "../../components/lane/lane.js";
import { KubernautAgent } from "../../components/kubernetes/kubernaut-agent.js";
import { MockLlm } from "../../components/kubernetes/mock-llm.js";
import type { RemediationWorkflows } from "../../components/kubernetes/remediation-workflows.js";

type AgentLane = LaneWith<"kubernautagent", "kubernautAgent" | "kubernautAgentHealth" | "kubernautAgentMetrics">;

export interface AgentOptions {
    /** What the agent starts after: the mock LLM, and Dex or CRDs it discovers at start. */
    readonly dependsOn: readonly pulumi.Resource[];
    /** Interactive logins through Dex. @default false */
    readonly dexLogin?: boolean;
}

export function kubernautAgent(lane: AgentLane, options: AgentOptions) {
    const agent = new KubernautAgent("kubernautagent", {
        ...lane.placement,
        spine: lane.spine,
        image: lane.load("kubernautagent"),
        coverage: lane.coverage,
        ...(options.dexLogin ? { dexLogin: true } : {}),
        nodePorts: {
            https: lane.nodePort("kubernautAgent"),
            health: lane.nodePort("kubernautAgentHealth"),
            metrics: lane.nodePort("kubernautAgentMetrics"),
        },
        dependsOn: [...options.dependsOn],
    });
    const outputs = {
        kubernautAgentUrl: lane.hostUrl("kubernautAgent", "https"),
        kubernautAgentHealthUrl: lane.hostUrl("kubernautAgentHealth", "http"),
        kubernautAgentMetricsUrl: lane.hostUrl("kubernautAgentMetrics", "http", "/metrics"),
    };
    return { agent, outputs };
}

/** The mock LLM, its scenarios naming the seeded workflows' UUIDs, in the environments the suite's signals carry. */
export function mockLlm(
    lane: LaneWith<"mock-llm">,
    workflows: RemediationWorkflows,
    environments: readonly string[],
): MockLlm {
    return new MockLlm("mock-llm", {
        ...lane.placement,
        image: lane.load("mock-llm"),
        workflowIds: workflows.workflowIds,
        environments: [...environments],
    });
}
