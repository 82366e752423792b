/**
 * The stack programs of this project, by environment name: the smoke stack, and one program per Kubernaut lane of
 * `lanes.ts`, in `stacks/<lane>.ts`. Each module default-exports the program and exports `hostPorts(config)`, the
 * host ports its kind cluster publishes for that config, so any stack can check its ports against every other stack's
 * without running them. Modules are loaded lazily: a run imports only what it needs.
 */
import type { NamedPorts } from "../lib/host-ports.js";
import { LANES } from "./lanes.js";

export interface StackModule {
    default: () => Promise<Record<string, unknown>> | Record<string, unknown>;
    /** Host ports the stack publishes by config key, given its `kubernaut-e2e:*` config values (defaults applied inside). */
    hostPorts: (config: Record<string, unknown>) => NamedPorts;
}

export const STACK_PROGRAMS: Record<string, () => Promise<StackModule>> = {
    "smoke-e2e": () => import("./smoke-e2e.js"),
    ...Object.fromEntries(Object.keys(LANES).map((stack) => [stack, () => import(`./${stack}.js`) as Promise<StackModule>])),
};

export function programFor(environment: string): (() => Promise<StackModule>) | undefined {
    return Object.hasOwn(STACK_PROGRAMS, environment) ? STACK_PROGRAMS[environment] : undefined;
}
