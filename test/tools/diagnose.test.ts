/**
 * After a failed up: which workloads failed (from the event log), and their Pods' state, events and logs (fake
 * kubectl).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { describeFailures, failedWorkloads } from "../../tools/diagnose.js";
import { tempDir } from "../support/steps.js";

const URN =
    "urn:pulumi:smoke-e2e::kubernaut-e2e::kubernaut-e2e:components:Workload$kubernetes:apps/v1:Deployment::worker-workload-deployment";
const EVENTS = [
    {
        sequence: 1,
        resourcePreEvent: {
            metadata: {
                op: "create",
                urn: URN,
                type: "kubernetes:apps/v1:Deployment",
                new: {
                    inputs: {
                        metadata: { name: "worker", namespace: "smoke" },
                        spec: { selector: { matchLabels: { app: "worker" } } },
                    },
                },
            },
        },
    },
    {
        sequence: 2,
        diagnosticEvent: {
            urn: URN,
            severity: "error",
            message: "resource smoke/worker was not successfully created: timed out waiting for the condition\n",
        },
    },
    {
        sequence: 3,
        resOpFailedEvent: { metadata: { op: "create", urn: URN, type: "kubernetes:apps/v1:Deployment" }, status: 1 },
    },
    {
        sequence: 4,
        resOpFailedEvent: {
            metadata: {
                op: "create",
                urn: "urn:…$kubernetes:core/v1:ConfigMap::x",
                type: "kubernetes:core/v1:ConfigMap",
            },
            status: 1,
        },
    },
    "not json",
].map((e) => (typeof e === "string" ? e : JSON.stringify(e)));

describe("diagnose", () => {
    it("finds the workloads the engine reports failed, with their selector and message", () => {
        assert.deepEqual(failedWorkloads(EVENTS), [
            {
                kind: "Deployment",
                namespace: "smoke",
                name: "worker",
                selector: { app: "worker" },
                message: "resource smoke/worker was not successfully created: timed out waiting for the condition",
            },
        ]);
        assert.deepEqual(failedWorkloads([]), []);
    });

    it("describes each Pod: container state, restarts and last exit, events, and the logs before the restart", async () => {
        const dir = tempDir("fake-kubectl");
        const pods = {
            items: [
                {
                    metadata: { name: "worker-1" },
                    status: {
                        phase: "Running",
                        containerStatuses: [
                            {
                                name: "worker",
                                restartCount: 3,
                                state: { waiting: { reason: "CrashLoopBackOff" } },
                                lastState: { terminated: { exitCode: 3, reason: "Error" } },
                            },
                        ],
                    },
                },
            ],
        };
        fs.writeFileSync(path.join(dir, "pods.json"), JSON.stringify(pods));
        fs.writeFileSync(
            path.join(dir, "kubectl"),
            [
                "#!/bin/sh",
                `echo "$*" >> ${dir}/calls`,
                'case "$*" in',
                `  *"get pods"*) cat ${dir}/pods.json;;`,
                '  *"get events"*) printf "Pulled: image present\\nBackOff: Back-off restarting failed container worker\\n";;',
                '  *"logs worker-1"*) echo "crash-marker";;',
                "esac",
            ].join("\n"),
            { mode: 0o755 },
        );
        const text = await describeFailures(failedWorkloads(EVENTS), {
            kubectl: path.join(dir, "kubectl"),
            kubeconfig: "/k",
        });
        assert.match(
            text,
            /^diagnosis: Deployment smoke\/worker did not become ready: resource smoke\/worker was not successfully created/,
        );
        assert.match(
            text,
            /pod worker-1 \(Running\)\n {4}container worker: CrashLoopBackOff, 3 restarts, last exit 3 \(Error\)/,
        );
        assert.match(
            text,
            /events:\n {6}Pulled: image present\n {6}BackOff: Back-off restarting failed container worker/,
        );
        assert.match(text, /logs \(before the last restart\):\n {6}crash-marker/);
        const calls = fs.readFileSync(path.join(dir, "calls"), "utf8");
        assert.match(calls, /--kubeconfig \/k -n smoke get pods -l app=worker -o json/);
        assert.match(calls, /logs worker-1 --all-containers --tail=20 --previous/);
    });
});
