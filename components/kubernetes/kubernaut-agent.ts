import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { renderManifest, manifestData } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import type { DataStorageSpine } from "./data-storage-spine.js";
import { KubernautService } from "./kubernaut-service.js";
import { childOptions, type ClusterPlacement } from "./placement.js";

export interface KubernautAgentArgs extends ClusterPlacement {
    readonly spine: DataStorageSpine;
    /** The loaded Kubernaut Agent image. */
    readonly image: DeliveredImage;
    /** NodePorts of the `kubernaut-agent` Service. */
    readonly nodePorts: { readonly https: number; readonly health: number; readonly metrics: number };
    /** Accept Dex's tokens for interactive sessions (the kubernautagent lane; Dex must run). @default false */
    readonly dexLogin?: boolean;
    /** Collect coverage. @default false */
    readonly coverage?: boolean;
    /** What must answer before the agent starts: the mock LLMs, and Dex when it accepts its tokens. @default [] */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** The TLS Secret of the agent, issued by the inter-service CA (the spine must list it). */
export const KUBERNAUT_AGENT_TLS = { secretName: "kubernautagent-tls", serviceName: "kubernaut-agent" } as const;

/**
 * Kubernaut Agent (inventory §2.6): its RBAC (read access for investigations, DataStorage client and auth
 * middleware), its config and LLM runtime files, and the HTTPS service. The mock LLM keys live in a Secret (Kubernaut
 * kept them in a ConfigMap), projected into the same directory the agent reads them from.
 */
export class KubernautAgent extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:KubernautAgent";

    readonly service: KubernautService;
    /** ClusterRole `kubernaut-agent-client`: what a caller of the agent is bound to. */
    readonly clientRole: k8s.rbac.v1.ClusterRole;

    constructor(name: string, args: KubernautAgentArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const jwtProviders = args.dexLogin ? manifestData<unknown[]>("kubernautagent/jwt-providers.yaml") : undefined;
        super(KubernautAgent.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const config = namespace.apply((ns) => {
            const doc = parse(renderManifest("kubernautagent/config.yaml", { namespace: ns })) as {
                interactive: Record<string, unknown>;
            };
            if (jwtProviders) doc.interactive.jwtProviders = jwtProviders;
            return stringify(doc);
        });
        const runtime = new k8s.core.v1.ConfigMap(
            `${name}-llm-runtime`,
            {
                metadata: { name: "kubernaut-agent-llm-runtime", namespace },
                data: { "llm-runtime.yaml": renderManifest("kubernautagent/llm-runtime.yaml") },
            },
            childOptions(this, args),
        );
        const keys = new k8s.core.v1.Secret(
            `${name}-llm-keys`,
            {
                metadata: { name: "kubernaut-agent-llm-keys", namespace },
                // The mock LLM accepts any key; these are Kubernaut's placeholders.
                stringData: { "api-key": "mock-api-key-for-e2e", "shadow-api-key": "mock-shadow-key" },
            },
            childOptions(this, args),
        );

        this.clientRole = new k8s.rbac.v1.ClusterRole(
            `${name}-client`,
            {
                metadata: { name: "kubernaut-agent-client" },
                rules: [
                    {
                        apiGroups: [""],
                        resources: ["services"],
                        resourceNames: ["kubernaut-agent"],
                        verbs: ["create", "get"],
                    },
                ],
            },
            childOptions(this, args),
        );
        this.service = new KubernautService(
            name,
            {
                ...args,
                appName: "kubernaut-agent",
                containerName: "kubernaut-agent",
                serviceAccountName: "kubernaut-agent-sa",
                clusterRules: manifestData("kubernautagent/investigator-rules.yaml"),
                clusterRoleName: "kubernaut-agent-investigator",
                clusterRoleBindings: { "kubernaut-agent-auth-middleware": "data-storage-auth-middleware" },
                args: [
                    "-config",
                    "/etc/kubernautagent/config.yaml",
                    "-llm-runtime",
                    "/etc/kubernautagent/llm-runtime/llm-runtime.yaml",
                ],
                env: [
                    { name: "LLM_ENDPOINT", value: "http://mock-llm:8080" },
                    { name: "LLM_MODEL", value: "mock-model" },
                    { name: "LLM_PROVIDER", value: "openai" },
                    { name: "DATA_STORAGE_URL", value: "https://data-storage-service:8080" },
                ],
                configFiles: [
                    {
                        id: "config",
                        configMap: "kubernaut-agent-config",
                        volume: "config",
                        mountPath: "/etc/kubernautagent",
                        data: { "config.yaml": config },
                    },
                ],
                secretMounts: [
                    {
                        volume: "tls-certs",
                        secretName:
                            args.spine.tls.leafSecrets.get(KUBERNAUT_AGENT_TLS.secretName)?.metadata.name ??
                            KUBERNAUT_AGENT_TLS.secretName,
                        mountPath: "/etc/tls",
                        optional: true,
                    },
                ],
                volumes: [
                    {
                        volume: {
                            name: "llm-runtime",
                            projected: {
                                sources: [
                                    { configMap: { name: runtime.metadata.name } },
                                    { secret: { name: keys.metadata.name } },
                                ],
                            },
                        },
                        mount: { name: "llm-runtime", mountPath: "/etc/kubernautagent/llm-runtime", readOnly: true },
                    },
                ],
                ports: [
                    { name: "https", containerPort: 8443, nodePort: args.nodePorts.https },
                    { name: "health", containerPort: 8081, nodePort: args.nodePorts.health },
                    { name: "metrics", containerPort: 9090, nodePort: args.nodePorts.metrics },
                ],
                readiness: { httpGet: "/readyz", port: "health" },
                readinessTiming: { initialDelaySeconds: 3, periodSeconds: 5 },
                liveness: { httpGet: "/healthz", port: "health", initialDelaySeconds: 5, periodSeconds: 10 },
                readyTimeoutSeconds: 120,
            },
            { parent: this },
        );
        this.registerOutputs({ nodePorts: this.service.nodePorts });
    }
}
