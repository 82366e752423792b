import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { containerdHostsToml, nodeEndpointOf, parseRegistry, registryRef } from "../../lib/registry.js";

describe("registry", () => {
    it("parses host:port[/prefix], insecure by default only on loopback", () => {
        assert.deepEqual(parseRegistry("127.0.0.1:5000/kubernaut/e2e"), {
            host: "127.0.0.1:5000",
            prefix: "kubernaut/e2e",
            insecure: true,
        });
        assert.deepEqual(parseRegistry("registry.example.com"), { host: "registry.example.com", insecure: false });
        assert.deepEqual(
            parseRegistry({ address: "ci-registry.lan:5000", insecure: true, nodeEndpoint: "10.0.0.5:5000" }),
            { host: "ci-registry.lan:5000", insecure: true, nodeEndpoint: "10.0.0.5:5000" },
        );
    });

    it("rejects what an image ref cannot name", () => {
        assert.throws(() => parseRegistry("https://registry:5000"), /is not a registry address/);
        assert.throws(() => parseRegistry("registry:99999"), /is not a registry address/);
        assert.throws(() => parseRegistry("127.0.0.1:5000/Team"), /`Team` in .* is not a repository path/);
        assert.throws(() => parseRegistry({ address: "127.0.0.1:5000", nodeEndpoint: "http://x:1" }), /nodeEndpoint/);
    });

    it("names an image under the registry, dropping the local registry part and keeping the tag", () => {
        const registry = parseRegistry("127.0.0.1:5000/team");
        assert.equal(
            registryRef(registry, "localhost/kubernaut/datastorage:0123456789ab"),
            "127.0.0.1:5000/team/kubernaut/datastorage:0123456789ab",
        );
        assert.equal(
            registryRef(registry, "docker.io/library/postgres:16-alpine"),
            "127.0.0.1:5000/team/library/postgres:16-alpine",
        );
        assert.equal(registryRef(registry, "busybox"), "127.0.0.1:5000/team/busybox:latest");
    });

    it("reaches a loopback registry from a Podman node through host.containers.internal, and refuses to guess for Docker", () => {
        const registry = parseRegistry("127.0.0.1:5000");
        assert.equal(nodeEndpointOf(registry, "podman"), "host.containers.internal:5000");
        assert.throws(() => nodeEndpointOf(registry, "docker"), /set `registry.nodeEndpoint`/);
        assert.equal(
            nodeEndpointOf(parseRegistry({ address: "127.0.0.1:5000", nodeEndpoint: "172.18.0.1:5000" }), "docker"),
            "172.18.0.1:5000",
        );
        assert.match(
            containerdHostsToml(registry, "podman"),
            /server = "http:\/\/127\.0\.0\.1:5000"\n\n\[host\."http:\/\/host\.containers\.internal:5000"\]\n {2}capabilities = \["pull", "resolve"\]\n {2}skip_verify = true/,
        );
        assert.doesNotMatch(containerdHostsToml(parseRegistry("registry.example.com:443"), "docker"), /skip_verify/);
    });
});
