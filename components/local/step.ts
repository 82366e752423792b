/**
 * A step program run by the project's provider (`provider/step.ts`): the one way a component causes a side effect
 * on the host. A component asks for a verb with typed flags (`request`, checked against `lib/step-verbs.ts`); the
 * provider writes them as the step's arguments, never through a shell, and resolves the program path from its own
 * location, so a stack runs the same from any working directory.
 */
import * as pulumi from "@pulumi/pulumi";
import { STEP_TYPE } from "../../lib/step-contract.js";
import { verbDef, type RequestValues, type StepName, type VerbName } from "../../lib/step-verbs.js";

export type { StepName } from "../../lib/step-contract.js";

/** A value a component passes, in which any part may be an Output. */
type DeepInput<T> = T extends readonly (infer E)[]
    ? pulumi.Input<readonly DeepInput<E>[]>
    : T extends object
      ? pulumi.Input<{ readonly [K in keyof T]: DeepInput<T[K]> }>
      : pulumi.Input<T>;

/** Each property of `T` as a component passes it (optional ones stay optional). */
type InputObject<T> = { [K in keyof T]: DeepInput<T[K]> };

/** The flags of `step verb` as a component passes them. */
export type RequestFlags<S extends StepName, V extends VerbName<S>> = InputObject<RequestValues<S, V>>;

/** A verb of a step with its flags, as a Step resource runs it. */
export interface Request<S extends StepName = StepName> {
    readonly step: S;
    readonly verb: string;
    readonly flags: Readonly<Record<string, unknown>>;
}

/**
 * `step verb` with `flags`, in the order given (the order the arguments are written in). An unknown flag is an error
 * of the program, before anything is registered; flags left `undefined` are left out.
 */
export function request<S extends StepName, V extends VerbName<S>>(
    step: S,
    verb: V,
    flags: RequestFlags<S, V>,
): Request<S> {
    const def = verbDef(step, verb);
    const given = Object.entries(flags as Record<string, unknown>).filter(([, value]) => value !== undefined);
    const unknown = given.map(([name]) => name).filter((name) => !Object.hasOwn(def.flags, name));
    if (unknown.length)
        throw new pulumi.RunError(`step \`${step} ${verb}\` has no flag ${unknown.map((n) => `--${n}`).join(", ")}`);
    return { step, verb, flags: Object.fromEntries(given) };
}

export interface StepArgs<S extends StepName = StepName> {
    /** What runs on create, and again on update (changed flags, same triggers); its step is the program. */
    readonly create: Request<S>;
    /** What runs on delete, as stored at the last create or update. @default - nothing runs on delete */
    readonly delete?: Request<S>;
    /**
     * A read-only check the provider runs on every diff and refresh; it prints `{"present": false}` when what the step
     * made is gone, and the step is then replaced. @default - no check
     */
    readonly observe?: Request<S>;
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

/** A request as the resource stores it: its step is the resource's own. */
const stored = (step: StepName, r: Request | undefined) => {
    if (r === undefined) return undefined;
    if (r.step !== step)
        throw new pulumi.RunError(`a Step runs one program: \`${r.step} ${r.verb}\` in a step of \`${step}\``);
    return { verb: r.verb, flags: r.flags };
};

export class Step extends pulumi.CustomResource {
    /** The JSON line the step printed on stdout. */
    declare readonly result: pulumi.Output<Record<string, unknown>>;

    constructor(name: string, args: StepArgs, opts: pulumi.CustomResourceOptions = {}) {
        const { secretResult, create, delete: del, observe, ...rest } = args;
        const step = create.step;
        const inputs = {
            step,
            create: stored(step, create),
            delete: stored(step, del),
            observe: stored(step, observe),
            ...rest,
            result: undefined,
        };
        super(STEP_TYPE, name, inputs, secretResult ? { ...opts, additionalSecretOutputs: ["result"] } : opts);
    }
}
