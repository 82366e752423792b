/**
 * Host ports are the one thing two kind clusters on a host cannot share. Before a stack registers anything, its ports
 * are checked against every other stack of the project (every `Pulumi.<stack>.yaml`, defaults included).
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { namespaceConfig, readStackConfigFile } from "./config.js";
import { PROJECT_ROOT } from "./stack-scope.js";

export interface StackPorts {
    readonly stack: string;
    readonly ports: number[];
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the project. */
export function projectStacks(projectRoot: string = PROJECT_ROOT): string[] {
    return fs.readdirSync(projectRoot).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

/** Host ports of every stack of the project, through each one's `hostPorts`. */
export async function projectHostPorts(
    loadPorts: (environment: string) => Promise<((config: Record<string, unknown>) => number[]) | undefined>,
    projectRoot: string = PROJECT_ROOT,
): Promise<StackPorts[]> {
    const result: StackPorts[] = [];
    for (const stack of projectStacks(projectRoot)) {
        const config = namespaceConfig(readStackConfigFile(stack, projectRoot));
        const hostPorts = await loadPorts(typeof config.environment === "string" ? config.environment : stack);
        if (hostPorts) result.push({ stack, ports: hostPorts(config) });
    }
    return result;
}

/** Fails naming each of `stack`'s ports that another stack also publishes. */
export function assertNoHostPortCollisions(stack: string, ports: readonly number[], others: readonly StackPorts[]): void {
    const problems: string[] = [];
    for (const other of others) {
        if (other.stack === stack) continue;
        for (const port of ports) {
            if (other.ports.includes(port)) problems.push(`  - host port ${port} is also published by stack \`${other.stack}\` (Pulumi.${other.stack}.yaml)`);
        }
    }
    if (problems.length) {
        throw new pulumi.RunError(`stack "${stack}": host ports collide with other stacks, so the two could not run at once:\n${problems.join("\n")}\n  pick free ports from DD-TEST-001 in Pulumi.${stack}.yaml`);
    }
}
