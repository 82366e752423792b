/**
 * Pulumi's entry point: runs the stack program named by `kubernaut-e2e:environment`, or by the stack name.
 * Each program lives in `stacks/<environment>.ts`, default-exports a function returning the stack outputs, and exports
 * `hostPorts(config)`; before any program runs, its host ports are checked against every other stack's.
 */
import * as pulumi from "@pulumi/pulumi";
import { namespaceConfig } from "../lib/config.js";
import { assertHostPortsFree, projectHostPorts, type NamedPorts } from "../lib/host-ports.js";
import { STACK_PROGRAMS, programFor } from "./programs.js";

export default async function main(): Promise<Record<string, unknown>> {
    const stack = pulumi.getStack();
    const config = namespaceConfig();
    const environment = typeof config.environment === "string" ? config.environment : stack;
    const load = programFor(environment);
    if (!load) {
        throw new pulumi.RunError(
            `stack "${stack}": no stack program for environment \`${environment}\`; set \`kubernaut-e2e:environment\` to one of ${Object.keys(STACK_PROGRAMS).join(", ")}`,
        );
    }
    const program = await load();
    let ports: NamedPorts | undefined;
    try {
        ports = program.hostPorts(config);
    } catch {
        // Invalid port config: the program's own config check reports it, by key.
    }
    if (ports) assertHostPortsFree(stack, ports, await projectHostPorts(async (env) => (await programFor(env)?.())?.hostPorts));
    return program.default();
}
