import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { serviceDnsNames } from "../../lib/k8s.js";
import { dnsLabelProblem } from "../../lib/names.js";
import { Problems } from "../../lib/problems.js";
import { Certificate } from "../local/certificate.js";
import { request, Step } from "../local/step.js";
import { childOptions, type ClusterPlacement } from "./placement.js";

export interface TlsLeaf {
    /** Secret (type kubernetes.io/tls) that receives the certificate, e.g. `datastorage-tls`. */
    readonly secretName: string;
    /** Service the certificate is for; its in-cluster DNS names become SANs. */
    readonly serviceName: string;
}

export interface InterServiceTlsArgs extends ClusterPlacement {
    /** Leaf certificates to issue. @default - DataStorage's: `datastorage-tls` for `data-storage-service` */
    readonly leaves?: readonly TlsLeaf[];
    /** Host file that receives the CA certificate, for test processes (`stackScope().caFile`). */
    readonly caFile: string;
    /** Validity of every certificate. Re-runs keep them; they are re-issued inside the last 30 days. @default 8760 */
    readonly validityHours?: number;
}

/**
 * The inter-service CA (ECDSA P-256, CN `kubernaut-inter-service-ca`), leaf certificates signed by it, ConfigMap
 * `inter-service-ca`, DataStorage's RSA signing certificate (Secret `datastorage-signing`), and the CA as a host file
 * for test processes. Keys live in Pulumi state as secrets ({@link Certificate}), so re-runs keep the same
 * certificates (Kubernaut made new ones whenever its marker files were gone, and kept the CA in `~/.kube`, shared by
 * every lane).
 */
export class InterServiceTls extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:InterServiceTls";

    readonly caCertPem: pulumi.Output<string>;
    readonly caFile: string;
    readonly caConfigMap: k8s.core.v1.ConfigMap;
    readonly leafSecrets: Map<string, k8s.core.v1.Secret>;
    readonly signingSecret: k8s.core.v1.Secret;

    constructor(name: string, args: InterServiceTlsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const resolved = validateInterServiceTlsArgs(name, args);
        super(InterServiceTls.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const lifetime = { validityHours: resolved.validityHours, earlyRenewalHours: EARLY_RENEWAL_HOURS };
        const local = { parent: this };

        const ca = new Certificate(
            `${name}-ca`,
            {
                commonName: "kubernaut-inter-service-ca",
                keyAlgorithm: "ECDSA-P256",
                isCa: true,
                usages: ["cert_signing", "crl_signing", "digital_signature"],
                ...lifetime,
            },
            local,
        );
        this.caCertPem = ca.certPem;

        this.caConfigMap = new k8s.core.v1.ConfigMap(
            `${name}-ca-configmap`,
            {
                metadata: { name: "inter-service-ca", namespace },
                data: { "ca.crt": ca.certPem },
            },
            childOptions(this, args),
        );

        this.leafSecrets = new Map(
            resolved.leaves.map((leaf) => {
                const cert = new Certificate(
                    `${name}-${leaf.secretName}-cert`,
                    {
                        commonName: leaf.serviceName,
                        keyAlgorithm: "ECDSA-P256",
                        dnsNames: namespace.apply((ns) => ["localhost", ...serviceDnsNames(leaf.serviceName, ns)]),
                        ipAddresses: ["127.0.0.1"],
                        usages: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
                        issuer: ca,
                        ...lifetime,
                    },
                    local,
                );
                const secret = new k8s.core.v1.Secret(
                    `${name}-${leaf.secretName}`,
                    {
                        metadata: { name: leaf.secretName, namespace },
                        type: "kubernetes.io/tls",
                        stringData: { "tls.crt": cert.certPem, "tls.key": cert.keyPem, "ca.crt": ca.certPem },
                    },
                    childOptions(this, args),
                );
                return [leaf.secretName, secret];
            }),
        );

        const signing = new Certificate(
            `${name}-signing-cert`,
            {
                commonName: "datastorage-signing",
                keyAlgorithm: "RSA-2048",
                usages: ["digital_signature"],
                ...lifetime,
            },
            local,
        );
        this.signingSecret = new k8s.core.v1.Secret(
            `${name}-signing-secret`,
            {
                metadata: { name: "datastorage-signing", namespace },
                type: "kubernetes.io/tls",
                stringData: { "tls.crt": signing.certPem, "tls.key": signing.keyPem },
            },
            childOptions(this, args),
        );

        this.caFile = resolved.caFile;
        new Step(
            `${name}-ca-file`,
            {
                create: request("file", "write", { path: resolved.caFile, mode: "0644" }),
                delete: request("file", "delete", { path: resolved.caFile }),
                stdin: ca.certPem,
                // A new CA is written over the old file (an update); a new path is a new file, then the old one
                // removed.
                triggers: [resolved.caFile],
            },
            local,
        );

        this.registerOutputs({ caCertPem: this.caCertPem, caFile: this.caFile });
    }
}

/** Re-issue a certificate within its last 30 days. */
const EARLY_RENEWAL_HOURS = 720;

interface ResolvedInterServiceTlsArgs {
    readonly leaves: readonly TlsLeaf[];
    readonly caFile: string;
    readonly validityHours: number;
}

/** Checks the args and applies defaults; throws one error listing every problem. */
export function validateInterServiceTlsArgs(name: string, args: InterServiceTlsArgs): ResolvedInterServiceTlsArgs {
    const problems = new Problems();
    const leaves = args.leaves ?? [{ secretName: "datastorage-tls", serviceName: "data-storage-service" }];
    const validityHours = args.validityHours ?? 8760;
    if (!path.isAbsolute(args.caFile)) problems.add("caFile", `\`${args.caFile}\` must be an absolute path`);
    if (!Number.isInteger(validityHours) || validityHours <= EARLY_RENEWAL_HOURS) {
        problems.add(
            "validityHours",
            `${validityHours} must be an integer above ${EARLY_RENEWAL_HOURS} (the early-renewal window)`,
        );
    }
    leaves.forEach((leaf, i) => {
        problems.check(`leaves[${i}].secretName`, dnsLabelProblem(leaf.secretName));
        problems.check(`leaves[${i}].serviceName`, dnsLabelProblem(leaf.serviceName));
    });
    const secretNames = leaves.map((l) => l.secretName);
    secretNames.forEach((n, i) => {
        if (secretNames.indexOf(n) !== i)
            problems.add(
                `leaves[${i}].secretName`,
                `\`${n}\` is already used by \`leaves[${secretNames.indexOf(n)}]\``,
            );
    });
    problems.throwIfAny(`InterServiceTls "${name}"`);
    return { leaves, caFile: args.caFile, validityHours };
}
