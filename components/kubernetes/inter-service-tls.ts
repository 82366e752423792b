import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { serviceDnsNames } from "../../lib/k8s.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { stepCommand } from "../../lib/step-command.js";

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
 * for test processes. Keys live in Pulumi state as secrets, so re-runs keep the same certificates (Kubernaut made new
 * ones whenever its marker files were gone, and kept the CA in `~/.kube`, shared by every lane).
 */
export class InterServiceTls extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:InterServiceTls";

    readonly caCertPem: pulumi.Output<string>;
    readonly caFile: string;
    readonly caConfigMap: k8s.core.v1.ConfigMap;
    readonly leafSecrets: Map<string, k8s.core.v1.Secret>;
    readonly signingSecret: k8s.core.v1.Secret;

    constructor(name: string, args: InterServiceTlsArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(InterServiceTls.TYPE, name, {}, opts);
        const validityPeriodHours = args.validityHours ?? 8760;
        const earlyRenewalHours = 720;
        const namespace = args.namespace.metadata.name;
        const local = { parent: this };

        const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, local);
        const ca = new tls.SelfSignedCert(`${name}-ca`, {
            privateKeyPem: caKey.privateKeyPem,
            subject: { commonName: "kubernaut-inter-service-ca" },
            isCaCertificate: true,
            allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
            validityPeriodHours,
            earlyRenewalHours,
        }, local);
        this.caCertPem = ca.certPem;

        this.caConfigMap = new k8s.core.v1.ConfigMap(`${name}-ca`, {
            metadata: { name: "inter-service-ca", namespace },
            data: { "ca.crt": ca.certPem },
        }, childOptions(this, args));

        this.leafSecrets = new Map((args.leaves ?? [{ secretName: "datastorage-tls", serviceName: "data-storage-service" }]).map((leaf) => {
            const key = new tls.PrivateKey(`${name}-${leaf.secretName}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, local);
            const request = new tls.CertRequest(`${name}-${leaf.secretName}-csr`, {
                privateKeyPem: key.privateKeyPem,
                subject: { commonName: leaf.serviceName },
                dnsNames: namespace.apply((ns) => ["localhost", ...serviceDnsNames(leaf.serviceName, ns)]),
                ipAddresses: ["127.0.0.1"],
            }, local);
            const cert = new tls.LocallySignedCert(`${name}-${leaf.secretName}-cert`, {
                certRequestPem: request.certRequestPem,
                caPrivateKeyPem: caKey.privateKeyPem,
                caCertPem: ca.certPem,
                allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
                validityPeriodHours,
                earlyRenewalHours,
            }, local);
            const secret = new k8s.core.v1.Secret(`${name}-${leaf.secretName}`, {
                metadata: { name: leaf.secretName, namespace },
                type: "kubernetes.io/tls",
                stringData: { "tls.crt": cert.certPem, "tls.key": key.privateKeyPem, "ca.crt": ca.certPem },
            }, childOptions(this, args));
            return [leaf.secretName, secret];
        }));

        const signingKey = new tls.PrivateKey(`${name}-signing-key`, { algorithm: "RSA", rsaBits: 2048 }, local);
        const signing = new tls.SelfSignedCert(`${name}-signing`, {
            privateKeyPem: signingKey.privateKeyPem,
            subject: { commonName: "datastorage-signing" },
            allowedUses: ["digital_signature"],
            validityPeriodHours,
            earlyRenewalHours,
        }, local);
        this.signingSecret = new k8s.core.v1.Secret(`${name}-signing`, {
            metadata: { name: "datastorage-signing", namespace },
            type: "kubernetes.io/tls",
            stringData: { "tls.crt": signing.certPem, "tls.key": signingKey.privateKeyPem },
        }, childOptions(this, args));

        this.caFile = args.caFile;
        stepCommand(`${name}-ca-file`, { step: "file", create: "write", delete: "delete", args: ["--path", args.caFile, "--mode", "0644"], stdin: ca.certPem, triggers: [ca.certPem] }, { parent: this });

        this.registerOutputs({ caCertPem: this.caCertPem, caFile: this.caFile });
    }
}
