import * as crypto from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { resources } from "../../lib/k8s.js";
import { manifestData } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { validateWorkloadArgs, workloadObjects } from "./workload.js";

export interface MockLlmArgs extends ClusterPlacement {
    /** The loaded mock-llm image (Kubernaut's `test/services/mock-llm`). */
    readonly image: DeliveredImage;
    /** Catalogue UUID of each seeded workflow, by name: the scenarios pick workflows by them. */
    readonly workflowIds: Readonly<Record<string, pulumi.Input<string>>>;
    /** Environments each workflow is seeded for; a scenario key is `<workflow>:<environment>`. */
    readonly environments: readonly string[];
    /** Seconds the provider waits for each Deployment (Kubernaut waits 2 minutes). @default 120 */
    readonly readyTimeoutSeconds?: number;
}

/** The workflow every `af_select_*` keyword scenario selects. */
const SELECTED_WORKFLOW = "oomkill-increase-memory-v1";

/**
 * The scenarios file: one entry per seeded workflow and environment (every non-production key first, then the
 * production ones, as Kubernaut's generator orders them), then the fixed scenarios of `manifests/mock-llm`.
 */
export function mockLlmScenarios(
    namespace: string,
    workflowIds: Readonly<Record<string, string>>,
    environments: readonly string[],
): string {
    const keys = Object.keys(workflowIds).flatMap((workflow) =>
        environments.map((env) => ({ key: `${workflow}:${env}`, workflow, production: env === "production" })),
    );
    const ordered = [
        ...keys.filter((k) => !k.production).sort((a, b) => a.key.localeCompare(b.key)),
        ...keys.filter((k) => k.production).sort((a, b) => a.key.localeCompare(b.key)),
    ];
    const fixed = manifestData<{ scenarios: Record<string, unknown>; keyword_scenarios: unknown[] }>(
        "mock-llm/scenarios.yaml",
        {
            namespace,
            selectedWorkflowId: workflowIds[SELECTED_WORKFLOW] ?? SELECTED_WORKFLOW,
        },
    );
    const scenarios = Object.fromEntries(ordered.map((k) => [k.key, { workflow_id: workflowIds[k.workflow] }]));
    return stringify({ scenarios: { ...scenarios, ...fixed.scenarios }, keyword_scenarios: fixed.keyword_scenarios });
}

/**
 * Kubernaut's mock LLM twice (inventory §2.6): `mock-llm`, answering with the seeded workflows' scenarios, and
 * `mock-llm-shadow`, the shadow evaluator Kubernaut Agent's alignment check calls. The mock reads its scenarios once
 * at start, so its Deployment follows the workflows' registration through the ConfigMap's content.
 */
export class MockLlm extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:MockLlm";

    readonly primary: k8s.apps.v1.Deployment;
    readonly shadow: k8s.apps.v1.Deployment;

    constructor(name: string, args: MockLlmArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const timeout = args.readyTimeoutSeconds ?? 120;
        const http = [{ name: "http", containerPort: 8080 }];
        const hardened = {
            allowPrivilegeEscalation: false,
            runAsNonRoot: true,
            runAsUser: 1001,
            capabilities: { drop: ["ALL"] },
        };
        const primaryArgs = validateWorkloadArgs(`${name}-primary`, {
            ...args,
            appName: "mock-llm",
            containerName: "mock-llm",
            labels: { component: "test-infrastructure" },
            ports: http,
            readiness: { httpGet: "/health", port: "http" },
            readinessTiming: { initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
            liveness: {
                httpGet: "/health",
                port: "http",
                initialDelaySeconds: 10,
                periodSeconds: 10,
                timeoutSeconds: 3,
                failureThreshold: 3,
            },
            readyTimeoutSeconds: timeout,
        });
        const shadowArgs = validateWorkloadArgs(`${name}-shadow`, {
            ...args,
            appName: "mock-llm-shadow",
            containerName: "mock-llm-shadow",
            labels: { component: "test-infrastructure" },
            ports: http,
            readiness: { httpGet: "/health", port: "http" },
            readinessTiming: { initialDelaySeconds: 3, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
            liveness: {
                httpGet: "/health",
                port: "http",
                initialDelaySeconds: 5,
                periodSeconds: 10,
                timeoutSeconds: 3,
                failureThreshold: 3,
            },
            readyTimeoutSeconds: timeout,
        });
        super(MockLlm.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const labels = (app: string) => ({ app, component: "test-infrastructure" });

        const scenariosYaml = pulumi
            .all([namespace, pulumi.output(args.workflowIds)])
            .apply(([ns, ids]) => mockLlmScenarios(ns, ids as Record<string, string>, args.environments));
        const scenarios = new k8s.core.v1.ConfigMap(
            `${name}-scenarios`,
            {
                metadata: { name: "mock-llm-scenarios", namespace, labels: labels("mock-llm") },
                data: { "scenarios.yaml": scenariosYaml },
            },
            childOptions(this, args),
        );
        const shadowConfig = new k8s.core.v1.ConfigMap(
            `${name}-shadow-config`,
            {
                metadata: { name: "mock-llm-shadow-config", namespace, labels: labels("mock-llm-shadow") },
                data: { "scenarios.yaml": stringify({ mode: "shadow", scenarios: {} }) },
            },
            childOptions(this, args),
        );

        const env = (forceText: boolean, mode?: string) => [
            { name: "MOCK_LLM_HOST", value: "0.0.0.0" },
            { name: "MOCK_LLM_PORT", value: "8080" },
            ...(mode ? [{ name: "MOCK_LLM_MODE", value: mode }] : []),
            { name: "MOCK_LLM_FORCE_TEXT", value: String(forceText) },
            { name: "MOCK_LLM_CONFIG_PATH", value: "/config/scenarios.yaml" },
        ];
        this.primary = workloadObjects(
            `${name}-primary`,
            {
                ...primaryArgs,
                // The mock reads its scenarios once, at start: new scenarios must restart it.
                podAnnotations: {
                    "kubernaut-e2e/scenarios-sha256": scenariosYaml.apply((text) =>
                        crypto.createHash("sha256").update(text).digest("hex"),
                    ),
                },
                container: {
                    env: env(true, "full"),
                    resources: resources(["100m", "64Mi"], ["200m", "128Mi"]),
                    securityContext: hardened,
                    volumeMounts: [{ name: "scenarios-config", mountPath: "/config", readOnly: true }],
                },
                pod: {
                    securityContext: { fsGroup: 1001 },
                    volumes: [{ name: "scenarios-config", configMap: { name: scenarios.metadata.name } }],
                },
            },
            this,
        ).deployment;
        this.shadow = workloadObjects(
            `${name}-shadow`,
            {
                ...shadowArgs,
                container: {
                    // No mode: the file's `mode: shadow` switches the mock to its shadow router.
                    env: env(false),
                    resources: resources(["50m", "32Mi"], ["100m", "64Mi"]),
                    securityContext: hardened,
                    volumeMounts: [{ name: "shadow-config", mountPath: "/config", readOnly: true }],
                },
                pod: {
                    securityContext: { fsGroup: 1001 },
                    volumes: [{ name: "shadow-config", configMap: { name: shadowConfig.metadata.name } }],
                },
            },
            this,
        ).deployment;
        this.registerOutputs({});
    }
}
