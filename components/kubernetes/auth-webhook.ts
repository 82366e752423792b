import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resources } from "../../lib/k8s.js";
import { nodePortProblem } from "../../lib/k8s.js";
import { Problems } from "../../lib/problems.js";
import { manifestData, renderManifest } from "../../lib/template.js";
import type { DeliveredImage } from "../delivered-image.js";
import { Certificate } from "../local/certificate.js";
import type { DataStorageSpine } from "./data-storage-spine.js";
import { KubernautService } from "./kubernaut-service.js";
import { childOptions, type ClusterPlacement } from "./placement.js";

export interface AuthWebhookArgs extends ClusterPlacement {
    readonly spine: DataStorageSpine;
    /** The loaded AuthWebhook image. */
    readonly image: DeliveredImage;
    /** NodePort of the `authwebhook` Service. @default 30099 */
    readonly nodePort?: number;
    /** Collect coverage. @default false */
    readonly coverage?: boolean;
    /** Webhook list under `manifests/`. @default "authwebhook/webhooks.yaml" */
    readonly webhooks?: string;
}

interface WebhookSpec {
    readonly name: string;
    readonly path: string;
    readonly operations: string[];
    readonly resources: string[];
    readonly sideEffects: "None" | "NoneOnDryRun";
    readonly timeoutSeconds: number;
    readonly namespaced?: boolean;
}

/**
 * Kubernaut's AuthWebhook (inventory §2.5): its serving certificate (self-signed, in state), the service, and its
 * mutating and validating webhook configurations, registered only once the webhook answers (with `failurePolicy: Fail`
 * a registered but absent webhook blocks every status update it covers). Every webhook carries the CA bundle —
 * Kubernaut's shared helper left the fourth validating webhook's empty.
 */
export class AuthWebhook extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:AuthWebhook";

    readonly service: KubernautService;
    /** The webhook configurations: admission through the webhook works once these exist. */
    readonly configurations: pulumi.Resource[];

    constructor(name: string, args: AuthWebhookArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        problems.check("nodePort", args.nodePort === undefined ? undefined : nodePortProblem(args.nodePort));
        problems.throwIfAny(`AuthWebhook "${name}"`);
        const webhooks = manifestData<{ mutating: WebhookSpec[]; validating: WebhookSpec[] }>(
            args.webhooks ?? "authwebhook/webhooks.yaml",
        );
        super(AuthWebhook.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;

        const cert = new Certificate(
            `${name}-serving-cert`,
            {
                commonName: "authwebhook",
                keyAlgorithm: "RSA-2048",
                // Its own CA: the API server trusts exactly this certificate (the caBundle), as Kubernaut's openssl
                // one.
                isCa: true,
                dnsNames: namespace.apply((ns) => [`authwebhook.${ns}.svc`, `authwebhook.${ns}.svc.cluster.local`]),
                usages: ["cert_signing", "digital_signature", "key_encipherment", "server_auth"],
                validityHours: 8760,
                earlyRenewalHours: 720,
            },
            { parent: this },
        );
        const tls = new k8s.core.v1.Secret(
            `${name}-tls`,
            {
                metadata: { name: "authwebhook-tls", namespace },
                type: "kubernetes.io/tls",
                stringData: { "tls.crt": cert.certPem, "tls.key": cert.keyPem },
            },
            childOptions(this, args),
        );

        this.service = new KubernautService(
            name,
            {
                ...args,
                appName: "authwebhook",
                containerName: "authwebhook",
                labels: { "app.kubernetes.io/name": "authwebhook", "app.kubernetes.io/component": "admission-webhook" },
                clusterRules: manifestData("authwebhook/cluster-rules.yaml"),
                args: ["-config=/etc/authwebhook/authwebhook.yaml"],
                configFiles: [
                    {
                        id: "config",
                        configMap: "authwebhook-config",
                        volume: "config",
                        mountPath: "/etc/authwebhook",
                        data: {
                            "authwebhook.yaml": namespace.apply((ns) =>
                                renderManifest("authwebhook/config.yaml", { namespace: ns }),
                            ),
                        },
                    },
                ],
                secretMounts: [
                    {
                        volume: "webhook-certs",
                        secretName: tls.metadata.name,
                        mountPath: "/tmp/k8s-webhook-server/serving-certs",
                    },
                ],
                ports: [
                    { name: "webhook", containerPort: 9443, servicePort: 443, nodePort: args.nodePort ?? 30099 },
                    { name: "health", containerPort: 8081, internal: true },
                ],
                readiness: { httpGet: "/readyz", port: "health" },
                readinessTiming: { initialDelaySeconds: 15, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
                liveness: {
                    httpGet: "/healthz",
                    port: "health",
                    initialDelaySeconds: 15,
                    periodSeconds: 20,
                    timeoutSeconds: 5,
                    failureThreshold: 3,
                },
                resources: resources(["100m", "128Mi"], ["200m", "256Mi"]),
                strategy: "Recreate",
            },
            { parent: this },
        );

        const caBundle = cert.certPem.apply((pem) => Buffer.from(pem).toString("base64"));
        const webhook = (spec: WebhookSpec) => ({
            name: spec.name,
            admissionReviewVersions: ["v1"],
            failurePolicy: "Fail",
            matchPolicy: "Equivalent",
            sideEffects: spec.sideEffects,
            timeoutSeconds: spec.timeoutSeconds,
            clientConfig: { caBundle, service: { name: "authwebhook", namespace, path: spec.path } },
            rules: [
                {
                    apiGroups: ["kubernaut.ai"],
                    apiVersions: ["v1alpha1"],
                    operations: spec.operations,
                    resources: spec.resources,
                    scope: "Namespaced",
                },
            ],
            ...(spec.namespaced
                ? { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } }
                : {}),
        });
        const after = { dependsOn: [this.service.deployment] };
        this.configurations = [
            new k8s.admissionregistration.v1.MutatingWebhookConfiguration(
                `${name}-mutating`,
                {
                    metadata: { name: "authwebhook-mutating" },
                    webhooks: webhooks.mutating.map(webhook),
                },
                childOptions(this, args, after),
            ),
            new k8s.admissionregistration.v1.ValidatingWebhookConfiguration(
                `${name}-validating`,
                {
                    metadata: { name: "authwebhook-validating" },
                    webhooks: webhooks.validating.map(webhook),
                },
                childOptions(this, args, after),
            ),
        ];
        this.registerOutputs({ nodePorts: this.service.nodePorts });
    }
}
