import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { assertNoHostPortCollisions, projectHostPorts, projectStacks } from "../../lib/host-ports.js";
import { renderTemplate } from "../../lib/template.js";
import { programFor } from "../../stacks/programs.js";

describe("renderTemplate", () => {
    it("replaces every placeholder", () => {
        assert.equal(renderTemplate("url: https://ds.{{namespace}}.svc:{{ port }}", { namespace: "ns", port: 8080 }), "url: https://ds.ns.svc:8080");
    });

    it("fails on a placeholder without a value and on a value never used", () => {
        assert.throws(() => renderTemplate("{{namespace}}", {}, "cfg.yaml"), /cfg\.yaml: no value for `\{\{namespace\}\}`/);
        assert.throws(() => renderTemplate("plain", { namespace: "ns" }, "cfg.yaml"), /cfg\.yaml: values never used: namespace/);
    });
});

describe("host ports across stacks", () => {
    it("reads every stack of the project with its default ports", async () => {
        const all = await projectHostPorts(async (env) => (await programFor(env)?.())?.hostPorts);
        assert.deepEqual(projectStacks(), ["signalprocessing-e2e", "smoke-e2e"]);
        assert.deepEqual(all, [
            { stack: "signalprocessing-e2e", ports: [9182, 30081, 30281, 30432] },
            { stack: "smoke-e2e", ports: [38080] },
        ]);
    });

    it("fails naming each shared port and the stack that has it", () => {
        assert.throws(
            () => assertNoHostPortCollisions("a", [30081, 9182, 1], [{ stack: "a", ports: [1] }, { stack: "b", ports: [30081, 9182] }]),
            (err: Error) => {
                assert.ok(err instanceof pulumi.RunError);
                assert.match(err.message, /host port 30081 is also published by stack `b`/);
                assert.match(err.message, /host port 9182 is also published by stack `b`/);
                assert.doesNotMatch(err.message, /port 1 /, "a stack never collides with itself");
                return true;
            },
        );
    });
});
