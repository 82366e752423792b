/**
 * The stack programs of this project, by environment name: the smoke stack, and one program per Kubernaut lane of
 * `lanes.ts`, in `stacks/<lane>.ts`. Each module default-exports the program and exports `hostPorts(config)`, the
 * host ports its kind cluster publishes for that config, so any stack can check its ports against every other stack's
 * without running them. Modules are loaded lazily: a run imports only what it needs.
 */
import { laneScope, type LaneSpec } from "../components/lane/spec.js";
import type { NamedPorts } from "../lib/host-ports.js";
import type { StackScope } from "../lib/stack-scope.js";
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

/** The cluster name, kubeconfig and files of `stack` for its `kubernaut-e2e:*` config, as its program derives them. */
export function scopeOfStack(stack: string, config: Record<string, unknown>): StackScope {
    const environment = typeof config.environment === "string" ? config.environment : stack;
    const spec: LaneSpec | undefined = Object.hasOwn(LANES, environment) ? LANES[environment as keyof typeof LANES] : undefined;
    return laneScope(spec, stack, config);
}
