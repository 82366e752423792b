/**
 * The contract between every component and its step program, exercised for real: every Step of every stack's plan
 * runs its create, delete and observe arguments exactly as the provider runs them (`runStep`: the program path, argv,
 * stdin), from a working directory that is not the project's, in dry-run mode. A component whose arguments its step
 * rejects — a renamed flag, a verb the step lacks, a missing required value — fails here, not in a user's first `up`.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { STEP_TYPE } from "../../lib/step-contract.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { requestFlags } from "../../lib/step-verbs.js";
import { runStep } from "../../provider/step.js";
import { STACKS } from "../../stacks/programs.js";
import { planStack } from "../../tools/plan-stack.js";
import { stepArgs } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");
const PINNED = {
    "kubernaut-e2e:tektonManifest": JSON.stringify({ file: "test/fixtures/pinned/tekton-release.yaml" }),
    "kubernaut-e2e:awxOperatorManifest": JSON.stringify({ file: "test/fixtures/pinned/awx-operator.yaml" }),
};

describe("every step of every stack, run as the provider runs it", () => {
    const cwd = process.cwd();
    before(() => {
        process.env.KUBERNAUT_E2E_DRY_RUN = "1";
        process.env.KUBERNAUT_ROOT = FIXTURE;
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("contract-work");
        // Not the project: the engine starts providers in the program's folder, and nothing may depend on it.
        process.chdir(tempDir("contract-cwd"));
    });
    after(() => {
        delete process.env.KUBERNAUT_E2E_DRY_RUN;
        process.chdir(cwd);
    });

    // Every stack as configured by default, and the two delivery shapes (pushes, copies, hosts.toml) with a registry.
    const cases = [
        ...Object.keys(STACKS).map((stack) => ({
            stack,
            label: stack,
            config: stack === "workflowexecution-e2e" ? PINNED : {},
        })),
        ...["smoke-e2e", "signalprocessing-e2e"].map((stack) => ({
            stack,
            label: `${stack} with a registry`,
            config: { "kubernaut-e2e:registry": "127.0.0.1:5000/team", "kubernaut-e2e:engine": "podman" },
        })),
    ];
    for (const { stack, label, config } of cases) {
        it(`${label}: every create, delete and observe command is accepted by its step`, async () => {
            const plan = await planStack(stack, { configOverrides: config });
            const steps = plan.resources.filter((r) => r.type === STEP_TYPE);
            assert.ok(steps.length > 0);
            const failures: string[] = [];
            let ran = 0;
            for (const s of steps) {
                for (const verb of ["create", "delete", "observe"] as const) {
                    if (!s.inputs[verb]) continue;
                    // What the provider runs: the request written as the step's arguments.
                    const args = stepArgs(s, verb);
                    assert.ok(
                        args.every((a) => typeof a === "string" && !a.includes("[unknown]")),
                        `${s.name} ${verb}: arguments known at plan time`,
                    );
                    ran++;
                    try {
                        const { result } = await runStep(s.inputs.step as never, args, {
                            stdin: typeof s.inputs.stdin === "string" ? s.inputs.stdin : undefined,
                        });
                        if (result.dryRun !== true)
                            failures.push(
                                `${s.name} ${verb}: printed ${JSON.stringify(result).slice(0, 200)}, not a dry run`,
                            );
                        // The tag the program promised every dependent is the one the step builds under.
                        const promised =
                            requestFlags(s.inputs, "image", "build") &&
                            (s.inputs.observe as { flags: { image: string } }).flags.image;
                        if (verb === "create" && args[0] === "build" && result.imageRef !== promised)
                            failures.push(
                                `${s.name}: the step builds ${String(result.imageRef)}, the plan promised ${promised}`,
                            );
                    } catch (err) {
                        failures.push(
                            `${s.name} ${verb} (${String(s.inputs.step)} ${args[0]}): ${(err as Error).message.split("\n").slice(0, 3).join(" | ")}`,
                        );
                    }
                }
            }
            assert.deepEqual(failures, []);
            assert.ok(ran >= steps.length);
        });
    }
});
