/**
 * A step program run by the project's provider (`provider/step.ts`): the one way a component causes a side effect
 * on the host. Values travel as argument arrays, never through a shell; the program path is resolved by the provider
 * from its own location, so a stack runs the same from any working directory.
 */
import * as pulumi from "@pulumi/pulumi";
import { STEP_TYPE, type StepName } from "../../lib/step-contract.js";

export type { StepName } from "../../lib/step-contract.js";

export interface StepArgs {
    /** The program in `steps/`. */
    readonly step: StepName;
    /** Arguments, verb first, run on create and again on update (changed arguments, same triggers). */
    readonly create: pulumi.Input<pulumi.Input<string>[]>;
    /** Arguments run on delete, as stored at the last create or update. @default - nothing runs on delete */
    readonly delete?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Arguments of a read-only check the provider runs on every diff and refresh; it prints `{"present": false}` when
     * what the step made is gone, and the step is then replaced. @default - no check
     */
    readonly observe?: pulumi.Input<pulumi.Input<string>[]>;
    /** Values whose change replaces the step (runs delete, then create). @default [] */
    readonly triggers?: pulumi.Input<unknown[]>;
    /** Standard input for the create arguments. @default - none */
    readonly stdin?: pulumi.Input<string>;
    /** The result holds a credential (a kubeconfig): keep it as a secret. @default false */
    readonly secretResult?: boolean;
    /**
     * A replacement names the same thing on the host (a kind cluster's name, a file's path), so the old one must be
     * deleted before the new one is made. @default false
     */
    readonly deleteBeforeReplace?: boolean;
}

export class Step extends pulumi.CustomResource {
    /** The JSON line the step printed on stdout. */
    declare readonly result: pulumi.Output<Record<string, unknown>>;

    constructor(name: string, args: StepArgs, opts: pulumi.CustomResourceOptions = {}) {
        const { secretResult, ...inputs } = args;
        super(STEP_TYPE, name, { ...inputs, result: undefined }, secretResult ? { ...opts, additionalSecretOutputs: ["result"] } : opts);
    }
}
