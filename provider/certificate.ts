/**
 * The provider's handler for {@link CERTIFICATE_TYPE}: an X.509 certificate and its private key, made once and kept
 * in state (the key as a secret), so re-runs keep the same material. Self-signed when no issuer is given (a CA, or a
 * standalone signing certificate), else signed by the issuer. Any input change replaces it, and so does a certificate
 * inside its early-renewal window.
 *
 * Keys come from Node's WebCrypto; certificates from `@peculiar/x509` (see ARCHITECTURE.md: why not `@pulumi/tls`).
 * Private keys are written in the formats `@pulumi/tls` wrote before: SEC 1 for ECDSA, PKCS #1 for RSA.
 */
import * as crypto from "node:crypto";
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API loaded first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { z } from "zod";
import { containsUnknown, plainValue, sameValue, secretValue } from "../lib/property-values.js";
import type { Props, ResourceHandler } from "./handler.js";

x509.cryptoProvider.set(crypto.webcrypto as Crypto);

const USAGES = [
    "cert_signing",
    "crl_signing",
    "digital_signature",
    "key_encipherment",
    "server_auth",
    "client_auth",
] as const;

const inputsSchema = z.object({
    commonName: z.string().min(1),
    keyAlgorithm: z.enum(["ECDSA-P256", "RSA-2048"]),
    isCa: z.boolean().default(false),
    dnsNames: z.array(z.string()).default([]),
    ipAddresses: z.array(z.string()).default([]),
    usages: z.array(z.enum(USAGES)).min(1),
    validityHours: z.number().int().positive(),
    earlyRenewalHours: z.number().int().min(0).default(0),
    issuer: z.object({ certPem: z.string(), keyPem: z.string() }).optional(),
});
export type CertificateInputs = z.input<typeof inputsSchema>;

const KEY_USAGE_BITS: Partial<Record<(typeof USAGES)[number], number>> = {
    cert_signing: x509.KeyUsageFlags.keyCertSign,
    crl_signing: x509.KeyUsageFlags.cRLSign,
    digital_signature: x509.KeyUsageFlags.digitalSignature,
    key_encipherment: x509.KeyUsageFlags.keyEncipherment,
};
const EXTENDED_USAGES: Partial<Record<(typeof USAGES)[number], string>> = {
    server_auth: x509.ExtendedKeyUsage.serverAuth,
    client_auth: x509.ExtendedKeyUsage.clientAuth,
};

function algorithmOf(name: "ECDSA-P256" | "RSA-2048") {
    return name === "ECDSA-P256"
        ? {
              generate: { name: "ECDSA", namedCurve: "P-256" },
              sign: { name: "ECDSA", hash: "SHA-256" },
              pemType: "sec1" as const,
          }
        : {
              generate: {
                  name: "RSASSA-PKCS1-v1_5",
                  modulusLength: 2048,
                  publicExponent: new Uint8Array([1, 0, 1]),
                  hash: "SHA-256",
              },
              sign: { name: "RSASSA-PKCS1-v1_5" },
              pemType: "pkcs1" as const,
          };
}

/** Imports a PEM private key (any format Node reads) as a WebCrypto signing key for `certificate`'s algorithm. */
async function importSigningKey(pem: string, certificate: x509.X509Certificate): Promise<CryptoKey> {
    const pkcs8 = crypto.createPrivateKey(pem).export({ type: "pkcs8", format: "der" });
    const algorithm = certificate.publicKey.algorithm as EcKeyImportParams | RsaHashedImportParams;
    return crypto.webcrypto.subtle.importKey("pkcs8", pkcs8, algorithm, false, ["sign"]);
}

export interface IssuedCertificate {
    readonly certPem: string;
    readonly keyPem: string;
    readonly notAfter: string;
}

/** Makes a key pair and a certificate for `raw` (validated); pure apart from randomness and the clock. */
export async function issueCertificate(raw: CertificateInputs, now = new Date()): Promise<IssuedCertificate> {
    const inputs = inputsSchema.parse(raw);
    const algorithm = algorithmOf(inputs.keyAlgorithm);
    const keys = await crypto.webcrypto.subtle.generateKey(algorithm.generate as EcKeyGenParams, true, [
        "sign",
        "verify",
    ]);
    const issuerCert = inputs.issuer ? new x509.X509Certificate(inputs.issuer.certPem) : undefined;
    const signingKey =
        inputs.issuer && issuerCert ? await importSigningKey(inputs.issuer.keyPem, issuerCert) : keys.privateKey;
    const keyUsage = inputs.usages.reduce((bits, u) => bits | (KEY_USAGE_BITS[u] ?? 0), 0);
    const extended = inputs.usages.flatMap((u) => (EXTENDED_USAGES[u] ? [EXTENDED_USAGES[u]] : []));
    const names = [
        ...inputs.dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...inputs.ipAddresses.map((value) => ({ type: "ip" as const, value })),
    ];
    const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(inputs.isCa, undefined, true),
        new x509.KeyUsagesExtension(keyUsage, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ];
    if (extended.length) extensions.push(new x509.ExtendedKeyUsageExtension(extended));
    if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
    if (issuerCert) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert));
    const notAfter = new Date(now.getTime() + inputs.validityHours * 3600_000);
    const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: crypto
            .randomBytes(16)
            .toString("hex")
            .replace(/^[89a-f]/, "7"),
        subject: `CN=${inputs.commonName}`,
        issuer: issuerCert ? issuerCert.subject : `CN=${inputs.commonName}`,
        notBefore: new Date(now.getTime() - 5 * 60_000),
        notAfter,
        signingAlgorithm: algorithm.sign,
        publicKey: keys.publicKey,
        signingKey,
        extensions,
    });
    const pkcs8 = Buffer.from(await crypto.webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
    const keyPem = crypto
        .createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })
        .export({ type: algorithm.pemType, format: "pem" })
        .toString();
    return { certPem: `${certificate.toString("pem")}\n`, keyPem, notAfter: notAfter.toISOString() };
}

/** Whether a certificate ending at `notAfter` is inside its early-renewal window at `now`. */
export function dueForRenewal(notAfter: unknown, earlyRenewalHours: number, now = new Date()): boolean {
    return typeof notAfter === "string" && Date.parse(notAfter) - earlyRenewalHours * 3600_000 <= now.getTime();
}

const INPUT_KEYS = Object.keys(inputsSchema.shape);

export function certificateHandler(): ResourceHandler {
    const issue = async (news: Props): Promise<Props> => {
        const issued = await issueCertificate(plainValue(news) as CertificateInputs);
        return {
            ...inputsOf(news),
            certPem: issued.certPem,
            keyPem: secretValue(issued.keyPem),
            notAfter: issued.notAfter,
        };
    };
    return {
        async check(_olds, news) {
            if (containsUnknown(news)) return { inputs: news, failures: [] };
            const parsed = inputsSchema.safeParse(plainValue(news));
            return {
                inputs: news,
                failures: parsed.success
                    ? []
                    : parsed.error.issues.map((i) => ({
                          property: i.path.join(".") || "commonName",
                          reason: i.message,
                      })),
            };
        },
        async diff(olds, news) {
            const changed = INPUT_KEYS.filter((k) => !sameValue(olds[k] ?? null, news[k] ?? null));
            const renewal = Number(plainValue(news.earlyRenewalHours) ?? 0);
            if (changed.length === 0 && dueForRenewal(olds.notAfter, renewal)) changed.push("notAfter");
            return { changes: changed.length > 0, replaces: changed, diffs: changed };
        },
        async create(_urn, news, preview) {
            return { id: preview ? "" : crypto.randomUUID(), outs: preview ? inputsOf(news) : await issue(news) };
        },
        async update(_urn, olds) {
            // Every input change is a replacement; nothing is updated in place.
            return olds;
        },
        async read(id, props) {
            return { id, props };
        },
        async delete() {
            // The certificate lives in state only; removing it from state is all there is.
        },
    };
}

function inputsOf(props: Props): Props {
    const { certPem: _c, keyPem: _k, notAfter: _n, ...inputs } = props;
    return inputs;
}
