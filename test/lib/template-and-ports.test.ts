import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { assertHostPortsFree, hostPortProblems, projectHostPorts, projectStacks } from "../../lib/host-ports.js";
import { renderTemplate } from "../../lib/template.js";
import { LANES } from "../../stacks/lanes.js";
import { hostPortsOf } from "../../stacks/programs.js";

describe("renderTemplate", () => {
    it("replaces every placeholder", () => {
        assert.equal(
            renderTemplate("url: https://ds.{{namespace}}.svc:{{ port }}", { namespace: "ns", port: 8080 }),
            "url: https://ds.ns.svc:8080",
        );
    });

    it("fails on a placeholder without a value and on a value never used", () => {
        assert.throws(
            () => renderTemplate("{{namespace}}", {}, "cfg.yaml"),
            /cfg\.yaml: no value for `\{\{namespace\}\}`/,
        );
        assert.throws(
            () => renderTemplate("plain", { namespace: "ns" }, "cfg.yaml"),
            /cfg\.yaml: values never used: namespace/,
        );
    });
});

describe("host ports across stacks", () => {
    it("reads every stack of the project with its default ports, and no two share one", () => {
        const all = projectHostPorts(hostPortsOf);
        assert.deepEqual(projectStacks(), [...Object.keys(LANES), "smoke-e2e"].sort());
        assert.deepEqual(
            all.find((s) => s.stack === "signalprocessing-e2e"),
            {
                stack: "signalprocessing-e2e",
                ports: {
                    "hostPorts.signalProcessingMetrics": 9182,
                    "hostPorts.dataStorage": 30081,
                    "hostPorts.dataStorageHealth": 30281,
                    "hostPorts.postgres": 30432,
                },
            },
        );
        assert.deepEqual(
            all.find((s) => s.stack === "smoke-e2e"),
            { stack: "smoke-e2e", ports: { hostPort: 38080 } },
        );
        for (const stack of all)
            assert.deepEqual(hostPortProblems(stack.stack, stack.ports, all), [], `${stack.stack} collides`);
    });

    it("fails naming each shared port by the config keys of both stacks", () => {
        assert.throws(
            () =>
                assertHostPortsFree("a", { "hostPorts.dataStorage": 30081, "hostPorts.metrics": 9182, other: 1 }, [
                    { stack: "a", ports: { other: 1 } },
                    { stack: "b", ports: { hostPort: 30081, "hostPorts.x": 9182 } },
                ]),
            (err: Error) => {
                assert.ok(err instanceof pulumi.RunError);
                assert.match(
                    err.message,
                    /`kubernaut-e2e:hostPorts\.dataStorage` \(30081\) is also stack `b`'s `kubernaut-e2e:hostPort`/,
                );
                assert.match(
                    err.message,
                    /`kubernaut-e2e:hostPorts\.metrics` \(9182\) is also stack `b`'s `kubernaut-e2e:hostPorts\.x`/,
                );
                assert.doesNotMatch(err.message, /\(1\)/, "a stack never collides with itself");
                return true;
            },
        );
    });

    it("fails naming both keys when one stack gives two of its ports the same number", () => {
        assert.throws(
            () => assertHostPortsFree("a", { "hostPorts.postgres": 30081, "hostPorts.dataStorage": 30081 }, []),
            /`kubernaut-e2e:hostPorts\.postgres` and `kubernaut-e2e:hostPorts\.dataStorage` are both 30081/,
        );
    });
});
