/**
 * Pulumi's entry point: runs the stack program named by `kubernaut-e2e:environment`, or by the stack name, after
 * checking its host ports against every other stack's (from their data, `programs.ts`) and reading the offline
 * toolchain's profile once: the defaults beneath every program's config.
 */
import * as pulumi from "@pulumi/pulumi";
import { namespaceConfig } from "../lib/config.js";
import { assertHostPortsFree, projectHostPorts } from "../lib/host-ports.js";
import { profileFile, PROFILE_ENV, readToolchainProfile } from "../lib/toolchain/profile.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { environmentOf, hostPortsOf, stackDefinition, STACKS } from "./programs.js";

export default async function main(): Promise<Record<string, unknown>> {
    const stack = pulumi.getStack();
    const config = namespaceConfig();
    const environment = environmentOf(stack, config);
    const definition = stackDefinition(environment);
    if (!definition) {
        throw new pulumi.RunError(
            `stack "${stack}": no stack program for environment \`${environment}\`; set \`kubernaut-e2e:environment\` to one of ${Object.keys(STACKS).join(", ")}`,
        );
    }
    const ports = hostPortsOf(stack, config);
    // Invalid port config: the program's own config check reports it, by key.
    if (ports) assertHostPortsFree(stack, ports, projectHostPorts(hostPortsOf));
    let profile;
    try {
        profile = readToolchainProfile();
    } catch (err) {
        throw new pulumi.RunError(`stack "${stack}": ${(err as Error).message}`);
    }
    const program = await definition.program();
    return program({ profile, profileFile: process.env[PROFILE_ENV] || profileFile(toolchainLayout()) });
}
