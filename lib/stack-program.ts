/**
 * What a stack program is (`stacks/<environment>.ts` default-exports one): a function that registers the stack's
 * resources and returns its outputs, given what the entry point (`stacks/index.ts`) reads once for every program.
 */
import type { ToolchainProfile } from "./toolchain/profile.js";

export interface ProgramContext {
    /** The offline toolchain's profile on this machine: defaults beneath the stack's config. @default - none */
    readonly profile?: ToolchainProfile;
    /** Where the profile was read, for errors that name it. */
    readonly profileFile?: string;
}

export type StackProgram = (context: ProgramContext) => Promise<Record<string, unknown>>;
