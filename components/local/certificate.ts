/**
 * An X.509 certificate and its private key, made by the project's provider (`provider/certificate.ts`) and kept in
 * state, the key as a secret. Re-runs keep the same material until an input changes or the certificate enters its
 * early-renewal window.
 */
import * as pulumi from "@pulumi/pulumi";
import { CERTIFICATE_TYPE } from "../../lib/step-contract.js";

export type CertificateUsage =
    "cert_signing" | "crl_signing" | "digital_signature" | "key_encipherment" | "server_auth" | "client_auth";

export interface CertificateArgs {
    /** Subject common name. */
    readonly commonName: string;
    /** Key type. */
    readonly keyAlgorithm: "ECDSA-P256" | "RSA-2048";
    /** A certificate authority (BasicConstraints `CA:TRUE`). @default false */
    readonly isCa?: boolean;
    /** DNS subject alternative names. @default [] */
    readonly dnsNames?: pulumi.Input<pulumi.Input<string>[]>;
    /** IP subject alternative names. @default [] */
    readonly ipAddresses?: string[];
    /** Key usages and extended key usages. */
    readonly usages: CertificateUsage[];
    readonly validityHours: number;
    /** Hours before expiry at which a run issues a new certificate. @default 0 */
    readonly earlyRenewalHours?: number;
    /** The signing CA. @default - self-signed */
    readonly issuer?: Certificate;
}

export class Certificate extends pulumi.CustomResource {
    /** PEM of the certificate. */
    declare readonly certPem: pulumi.Output<string>;
    /** PEM of the private key (SEC 1 for ECDSA, PKCS #1 for RSA): a secret. */
    declare readonly keyPem: pulumi.Output<string>;
    /** Expiry, RFC 3339. */
    declare readonly notAfter: pulumi.Output<string>;

    constructor(name: string, args: CertificateArgs, opts: pulumi.CustomResourceOptions = {}) {
        const { issuer, ...rest } = args;
        const inputs = { ...rest, issuer: issuer ? { certPem: issuer.certPem, keyPem: issuer.keyPem } : undefined };
        super(
            CERTIFICATE_TYPE,
            name,
            { ...inputs, certPem: undefined, keyPem: undefined, notAfter: undefined },
            { ...opts, additionalSecretOutputs: ["keyPem"] },
        );
    }
}
