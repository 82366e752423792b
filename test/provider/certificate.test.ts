/** Certificates made by the provider: a CA, a leaf it signs, a self-signed RSA signing certificate, and renewal. */
import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import { describe, it } from "node:test";
import { certificateHandler, dueForRenewal, issueCertificate } from "../../provider/certificate.js";

describe("provider certificates", () => {
    it("issues a CA and a leaf it signs, with the SANs and usages asked for", async () => {
        const ca = await issueCertificate({
            commonName: "kubernaut-inter-service-ca",
            keyAlgorithm: "ECDSA-P256",
            isCa: true,
            usages: ["cert_signing", "crl_signing", "digital_signature"],
            validityHours: 24,
        });
        const leaf = await issueCertificate({
            commonName: "data-storage-service",
            keyAlgorithm: "ECDSA-P256",
            dnsNames: ["localhost", "data-storage-service.kubernaut-system.svc"],
            ipAddresses: ["127.0.0.1"],
            usages: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
            validityHours: 24,
            issuer: { certPem: ca.certPem, keyPem: ca.keyPem },
        });
        const caCert = new crypto.X509Certificate(ca.certPem);
        const leafCert = new crypto.X509Certificate(leaf.certPem);
        assert.ok(caCert.ca && !leafCert.ca);
        assert.ok(leafCert.verify(caCert.publicKey), "the leaf is signed by the CA");
        assert.ok(leafCert.checkIssued(caCert));
        assert.equal(
            leafCert.subjectAltName,
            "DNS:localhost, DNS:data-storage-service.kubernaut-system.svc, IP Address:127.0.0.1",
        );
        assert.match(leaf.keyPem, /^-----BEGIN EC PRIVATE KEY-----/);
        assert.ok(leafCert.checkPrivateKey(crypto.createPrivateKey(leaf.keyPem)), "the key belongs to the certificate");
        assert.ok(Math.abs(Date.parse(leaf.notAfter) - Date.now() - 24 * 3600_000) < 60_000);
    });

    it("issues a self-signed RSA certificate with a PKCS #1 key", async () => {
        const signing = await issueCertificate({
            commonName: "datastorage-signing",
            keyAlgorithm: "RSA-2048",
            usages: ["digital_signature"],
            validityHours: 24,
        });
        const cert = new crypto.X509Certificate(signing.certPem);
        assert.equal(cert.subject, "CN=datastorage-signing");
        assert.equal(cert.issuer, "CN=datastorage-signing");
        assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
        assert.match(signing.keyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
    });

    it("replaces a certificate when an input changes or it enters its early-renewal window, and keeps the key secret", async () => {
        const handler = certificateHandler();
        const inputs = {
            commonName: "x",
            keyAlgorithm: "ECDSA-P256",
            usages: ["digital_signature"],
            validityHours: 1000,
            earlyRenewalHours: 720,
        };
        const { outs } = await handler.create("urn", inputs, false);
        assert.equal(
            (outs.keyPem as Record<string, unknown>)["4dabf18193072939515e22adb298388d"],
            "1b47061264138c4ac30d75fd1eb44270",
        );
        assert.equal((await handler.diff(outs, inputs)).changes, false);
        assert.deepEqual((await handler.diff(outs, { ...inputs, commonName: "y" })).replaces, ["commonName"]);
        assert.deepEqual(
            (await handler.diff({ ...outs, notAfter: new Date(Date.now() + 100 * 3600_000).toISOString() }, inputs))
                .replaces,
            ["notAfter"],
        );
        assert.equal(dueForRenewal(new Date(Date.now() + 1000 * 3600_000).toISOString(), 720), false);
    });

    it("fails a check on a usage it does not know, naming the property", async () => {
        const checked = await certificateHandler().check(
            {},
            { commonName: "x", keyAlgorithm: "ECDSA-P256", usages: ["everything"], validityHours: 1 },
        );
        assert.deepEqual(
            checked.failures.map((f) => f.property),
            ["usages.0"],
        );
    });
});
