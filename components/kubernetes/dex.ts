import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resources } from "../../lib/k8s.js";
import { renderManifest } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import type { InterServiceTls } from "./inter-service-tls.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { validateWorkloadArgs, workloadObjects } from "./workload.js";

/** Dex's TLS Secret, issued by the inter-service CA (the spine must list it). */
export const DEX_TLS = { secretName: "dex-tls", serviceName: "dex" } as const;

export interface DexArgs extends ClusterPlacement {
    /** The loaded image, or a ref the node pulls. */
    readonly image: DeliveredImage | string;
    /** Issues `dex-tls`. */
    readonly tls: InterServiceTls;
    /** NodePort of the `dex` Service. @default 30556 */
    readonly nodePort?: number;
    /** Seconds the provider waits for the Deployment (Kubernaut's rollout wait). @default 120 */
    readonly readyTimeoutSeconds?: number;
}

/**
 * Dex, the OIDC provider the kubernautagent lane's interactive sessions log in with (inventory §2.6): an in-memory
 * store with one static user and client (`manifests/dex/config.yaml`), serving HTTPS with a certificate of the
 * inter-service CA.
 */
export class Dex extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Dex";

    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: DexArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const workload = validateWorkloadArgs(name, {
            ...args,
            appName: "dex",
            ports: [{ name: "https", containerPort: 5556, nodePort: args.nodePort ?? 30556 }],
            readiness: { httpGet: "/dex/healthz", port: "https", scheme: "HTTPS" },
            readinessTiming: { initialDelaySeconds: 3, periodSeconds: 5 },
            liveness: {
                httpGet: "/dex/healthz",
                port: "https",
                scheme: "HTTPS",
                initialDelaySeconds: 5,
                periodSeconds: 10,
            },
            readyTimeoutSeconds: args.readyTimeoutSeconds ?? 120,
        });
        super(Dex.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { name: "dex-config", namespace },
                data: { "config.yaml": renderManifest("dex/config.yaml") },
            },
            childOptions(this, args),
        );
        const tlsSecret = args.tls.leafSecrets.get(DEX_TLS.secretName);
        this.deployment = workloadObjects(
            name,
            {
                ...workload,
                container: {
                    command: ["dex", "serve", "/etc/dex/config.yaml"],
                    resources: resources(["25m", "32Mi"], ["100m", "64Mi"]),
                    volumeMounts: [
                        { name: "config", mountPath: "/etc/dex", readOnly: true },
                        { name: "tls-certs", mountPath: "/etc/dex/tls", readOnly: true },
                    ],
                },
                pod: {
                    volumes: [
                        { name: "config", configMap: { name: config.metadata.name } },
                        { name: "tls-certs", secret: { secretName: tlsSecret?.metadata.name ?? DEX_TLS.secretName } },
                    ],
                },
            },
            this,
        ).deployment;
        this.registerOutputs({});
    }
}
