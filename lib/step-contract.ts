/**
 * The contract between the components and the project's provider (`provider/`): the resource type that runs a step
 * program, its inputs, and where the step programs live. Both sides import this file, so a component cannot ask for
 * a step the provider does not run.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** Package name of the project's provider plugin (`Pulumi.yaml` `plugins.providers`). */
export const PROVIDER_PACKAGE = "kubernaut-e2e-local";

/** Type token of a step resource. */
export const STEP_TYPE = `${PROVIDER_PACKAGE}:index:Step`;

/** Type token of a certificate (and its key) kept in state. */
export const CERTIFICATE_TYPE = `${PROVIDER_PACKAGE}:index:Certificate`;

export const STEP_NAMES = ["image", "cluster", "load", "file", "kube", "awx"] as const;
export type StepName = (typeof STEP_NAMES)[number];

/**
 * One run of a step's verb as a Step resource stores it: a typed request (`lib/step-verbs.ts`), which the provider
 * writes as the step's arguments — or, in state written before requests existed, those arguments themselves.
 */
export type StepInvocation =
    { readonly verb: string; readonly flags: Readonly<Record<string, unknown>> } | readonly string[];

/** Inputs of a {@link STEP_TYPE} resource, as the provider receives them (plain values, secrets unwrapped). */
export interface StepInputs {
    /** The program in `steps/`. */
    readonly step: StepName;
    /** The verb and flags run on create, and again on an update. */
    readonly create: StepInvocation;
    /** Run on delete, as stored at the last create or update. @default - nothing runs */
    readonly delete?: StepInvocation;
    /**
     * A read-only check run while diffing and refreshing; it prints `{"present": boolean}`. When the thing the step
     * made is gone (a pruned image, a deleted cluster), the step is replaced. @default - no check
     */
    readonly observe?: StepInvocation;
    /** Any change to these replaces the step. @default [] */
    readonly triggers?: readonly unknown[];
    /** Standard input for the create arguments. @default - none */
    readonly stdin?: string;
    /**
     * A replacement names the same thing on the host (a cluster name, a file path): delete the old one first. @default
     * false
     */
    readonly deleteBeforeReplace?: boolean;
}

/** The compiled step programs (`bin/steps/`); resolved from this file, never from the working directory. */
export const STEPS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "steps");

/** The argv that runs `step` with `args`: `node bin/steps/<step>.js …args`, absolute. */
export function stepProcess(step: StepName, args: readonly string[]): { file: string; args: string[] } {
    return { file: process.execPath, args: [path.join(STEPS_DIR, `${step}.js`), ...args] };
}
