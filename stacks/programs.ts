/**
 * Every stack of this project by environment name, as data: the smoke stack and one per Kubernaut lane of
 * `lanes.ts`. From each entry come its config schema, what the toolchain sets beneath it, the host ports a config
 * publishes and where its files live — without running or importing its program, which `program()` loads lazily
 * (`stacks/<environment>.ts`): the host-port check, `plan`'s config sources, the policy and `doctor` read these.
 */
import type { z } from "zod";
import { laneConfigShape, laneHostPorts, laneToolchainDefaults } from "../components/lane/config.js";
import { laneScope, type LaneSpec } from "../components/lane/spec.js";
import type { MachineDefaults } from "../lib/config.js";
import type { NamedPorts } from "../lib/host-ports.js";
import type { StackProgram } from "../lib/stack-program.js";
import type { StackScope } from "../lib/stack-scope.js";
import type { ToolchainProfile } from "../lib/toolchain/profile.js";
import { LANES } from "./lanes.js";
import { SMOKE_CONFIG, smokeHostPorts, smokeToolchainDefaults } from "./smoke.js";

export interface StackDefinition {
    readonly environment: string;
    /** The lane's facts, for a Kubernaut lane. @default - not a lane (the smoke stack) */
    readonly lane?: LaneSpec;
    readonly configShape: z.ZodRawShape;
    /** What the toolchain's profile sets beneath the stack's config. */
    toolchainDefaults(profile: ToolchainProfile | undefined, from: string): MachineDefaults | undefined;
    /** Host ports the stack publishes for its `kubernaut-e2e:*` config values, by config key. */
    hostPorts(values: Record<string, unknown>): NamedPorts;
    /** Where a stack of this environment keeps its files, for its config values. */
    scope(stack: string, values: Record<string, unknown>): StackScope;
    /** The program, loaded on first use. */
    program(): Promise<StackProgram>;
}

const load = (environment: string) => async () =>
    ((await import(`./${environment}.js`)) as { default: StackProgram }).default;

function laneDefinition(spec: LaneSpec): StackDefinition {
    return {
        environment: spec.stack,
        lane: spec,
        configShape: laneConfigShape(spec),
        toolchainDefaults: (profile, from) => laneToolchainDefaults(spec, profile, from),
        hostPorts: (values) => laneHostPorts(spec, values),
        scope: (stack, values) => laneScope(spec, stack, values),
        program: load(spec.stack),
    };
}

export const STACKS: Readonly<Record<string, StackDefinition>> = {
    "smoke-e2e": {
        environment: "smoke-e2e",
        configShape: SMOKE_CONFIG,
        toolchainDefaults: smokeToolchainDefaults,
        hostPorts: smokeHostPorts,
        scope: (stack, values) => laneScope(undefined, stack, values),
        program: load("smoke-e2e"),
    },
    ...Object.fromEntries(Object.values(LANES).map((spec) => [spec.stack, laneDefinition(spec)])),
};

/** The environment a stack runs: `kubernaut-e2e:environment`, else the stack's name. */
export function environmentOf(stack: string, values: Record<string, unknown>): string {
    return typeof values.environment === "string" ? values.environment : stack;
}

export function stackDefinition(environment: string): StackDefinition | undefined {
    return Object.hasOwn(STACKS, environment) ? STACKS[environment] : undefined;
}

/** The cluster name, kubeconfig and files of `stack` for its `kubernaut-e2e:*` config, as its program derives them. */
export function scopeOfStack(stack: string, values: Record<string, unknown>): StackScope {
    return stackDefinition(environmentOf(stack, values))?.scope(stack, values) ?? laneScope(undefined, stack, values);
}

/**
 * Host ports of `stack` for its config, or none for an environment that does not exist or a config that does not parse.
 */
export function hostPortsOf(stack: string, values: Record<string, unknown>): NamedPorts | undefined {
    try {
        return stackDefinition(environmentOf(stack, values))?.hostPorts(values);
    } catch {
        // That stack's own config is invalid; its own run reports it.
        return undefined;
    }
}
