/**
 * Pulumi's entry point: runs the stack program named by `kubernaut-e2e:environment`, or by the stack name.
 * Each program lives in `stacks/<environment>.ts` and default-exports a function returning the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { STACK_PROGRAMS, programFor } from "./programs.js";

export default async function main(): Promise<Record<string, unknown>> {
    const stack = pulumi.getStack();
    const environment = new pulumi.Config("kubernaut-e2e").get("environment") ?? stack;
    const program = programFor(environment);
    if (!program) {
        throw new pulumi.RunError(
            `stack "${stack}": no stack program for environment \`${environment}\`; set \`kubernaut-e2e:environment\` to one of ${Object.keys(STACK_PROGRAMS).join(", ")}`,
        );
    }
    return (await program()).default();
}
