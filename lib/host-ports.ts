/**
 * Host ports are the one thing two kind clusters on a host cannot share. Before a stack registers anything, its ports
 * are checked against every other stack of the project (every `Pulumi.<stack>.yaml`, defaults included).
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, namespaceConfig, readStackConfigFile } from "./config.js";
import { PROJECT_ROOT } from "./stack-scope.js";

/** A stack's host ports by the config key that sets each (`hostPorts.dataStorage`, `hostPort`). */
export type NamedPorts = Readonly<Record<string, number>>;

export interface StackPorts {
    readonly stack: string;
    readonly ports: NamedPorts;
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the project. */
export function projectStacks(projectRoot: string = PROJECT_ROOT): string[] {
    return fs
        .readdirSync(projectRoot)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/**
 * Host ports of every stack of the project, through `portsOf` (a stack's ports for its config, or undefined when it
 * has none or its config does not parse: its own run reports that).
 */
export function projectHostPorts(
    portsOf: (stack: string, config: Record<string, unknown>) => NamedPorts | undefined,
    projectRoot: string = PROJECT_ROOT,
): StackPorts[] {
    return projectStacks(projectRoot).flatMap((stack) => {
        const ports = portsOf(stack, namespaceConfig(readStackConfigFile(stack, projectRoot)));
        return ports ? [{ stack, ports }] : [];
    });
}

/** How a port's name is shown: as the config key that sets it. */
export const configKeyLabel = (name: string): string => `\`${CONFIG_NAMESPACE}:${name}\``;

/**
 * Every way `stack`'s ports collide: two of its own keys with one port, or a port another stack publishes. Each
 * problem names the keys, so the user knows which line of which `Pulumi.<stack>.yaml` to change.
 */
export function hostPortProblems(
    stack: string,
    ports: NamedPorts,
    others: readonly StackPorts[],
    label: (name: string) => string = configKeyLabel,
): string[] {
    const problems: string[] = [];
    const byPort = new Map<number, string>();
    for (const [name, port] of Object.entries(ports)) {
        const first = byPort.get(port);
        if (first)
            problems.push(`${label(first)} and ${label(name)} are both ${port}; each host port can carry one mapping`);
        else byPort.set(port, name);
    }
    for (const other of others) {
        if (other.stack === stack) continue;
        for (const [name, port] of Object.entries(ports)) {
            const theirs = Object.entries(other.ports).find(([, p]) => p === port);
            if (theirs)
                problems.push(
                    `${label(name)} (${port}) is also stack \`${other.stack}\`'s ${configKeyLabel(theirs[0])} (Pulumi.${other.stack}.yaml), so the two stacks could not run at once`,
                );
        }
    }
    return problems;
}

/** Fails, before anything is registered, with every host-port problem of `stack`. */
export function assertHostPortsFree(stack: string, ports: NamedPorts, others: readonly StackPorts[]): void {
    const problems = hostPortProblems(stack, ports, others);
    if (problems.length) {
        throw new pulumi.RunError(
            `stack "${stack}": host ports collide:\n${problems.map((p) => `  - ${p}`).join("\n")}\n  pick free ports from DD-TEST-001 in Pulumi.${stack}.yaml`,
        );
    }
}
