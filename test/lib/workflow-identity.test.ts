/** Kubernaut's RemediationWorkflow identity: Go's JSON of the typed object, its SHA-256, and a UUIDv5 of that. */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { uuidV5, workflowContentJson, workflowIdentity } from "../../lib/workflow-identity.js";

const base = {
    metadata: { name: "w" },
    spec: {
        version: "1.0.0",
        description: { what: "x", whenToUse: "y" },
        actionType: "RestartPod",
        labels: { severity: ["info"], environment: ["test"], component: ["*"], priority: "P3" },
        execution: { engine: "job" },
        parameters: [{ name: "N", type: "integer", description: "" }],
    },
};

describe("workflow identity", () => {
    it("writes struct fields in Go's declaration order, whatever the YAML's order", () => {
        const shuffled = {
            metadata: { name: "w" },
            spec: {
                parameters: base.spec.parameters,
                execution: base.spec.execution,
                labels: base.spec.labels,
                actionType: "RestartPod",
                description: { whenToUse: "y", what: "x" },
                version: "1.0.0",
            },
        };
        assert.equal(workflowContentJson(shuffled), workflowContentJson(base));
        assert.equal(
            workflowContentJson(base),
            '{"apiVersion":"kubernaut.ai/v1alpha1","kind":"RemediationWorkflow","metadata":{"name":"w"},"spec":{"version":"1.0.0","description":{"what":"x","whenToUse":"y"},' +
                '"actionType":"RestartPod","labels":{"severity":["info"],"environment":["test"],"component":["*"],"priority":"P3"},"execution":{"engine":"job"},' +
                '"parameters":[{"name":"N","type":"integer","required":false,"description":""}]}}',
        );
    });

    it("drops empty omitempty values but keeps a pointer's zero (minimum: 0, default: 0)", () => {
        const json = workflowContentJson({
            ...base,
            spec: {
                ...base.spec,
                customLabels: {},
                parameters: [
                    {
                        name: "N",
                        type: "integer",
                        required: true,
                        description: "d",
                        minimum: 0,
                        maximum: 20,
                        default: 0,
                    },
                ],
            },
        });
        assert.match(
            json,
            /"parameters":\[\{"name":"N","type":"integer","required":true,"description":"d","minimum":0,"maximum":20,"default":0\}\]/,
        );
        assert.doesNotMatch(json, /customLabels/);
    });

    it("sorts free-form JSON keys, escapes as Go does, and writes floats as Go does", () => {
        const json = workflowContentJson({
            ...base,
            metadata: { name: "a<b>&c" },
            spec: {
                ...base.spec,
                customLabels: { z: "1", a: "2" },
                execution: { engine: "ansible", engineConfig: { playbookPath: "p", jobTemplateName: "t" } },
                parameters: [{ name: "F", type: "number", description: "", minimum: 1e-7, maximum: 2.5 }],
            },
        });
        assert.match(json, /"name":"a\\u003cb\\u003e\\u0026c"/);
        assert.match(json, /"customLabels":\{"a":"2","z":"1"\}/);
        assert.match(json, /"engineConfig":\{"jobTemplateName":"t","playbookPath":"p"\}/);
        assert.match(json, /"minimum":1e-07,"maximum":2.5/);
    });

    it("derives a UUIDv5 as RFC 4122 specifies (Python's uuid5 vector), in Kubernaut's namespace by default", () => {
        assert.equal(
            uuidV5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d",
        );
        const id = workflowIdentity(base);
        assert.match(id.contentHash, /^[0-9a-f]{64}$/);
        assert.equal(id.workflowId, uuidV5(id.contentHash, "6ba7b810-9dad-51d0-80b7-00c04fd430c8"));
        assert.notEqual(
            workflowIdentity({ ...base, spec: { ...base.spec, version: "1.0.1" } }).workflowId,
            id.workflowId,
        );
    });
});
