/**
 * A Pulumi `local.Command` that runs one of this project's step programs without a shell.
 *
 * The provider runs `interpreter + [command]`; with `interpreter = ["node", "bin/steps/<step>.js"]` and the verb as
 * the command, the process is `node bin/steps/<step>.js <verb>`. Flags travel as a JSON array in one environment
 * variable. Paths are relative to the project directory (the provider's working directory), so the stored delete
 * command still works when the checkout moves.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { STEP_ARGS_ENV } from "./step-cli.js";

export type StepName = "image" | "cluster" | "load" | "file" | "kube";

export interface StepCommandArgs {
    readonly step: StepName;
    /** Verb run on create and on every update. */
    readonly create: string;
    /** Verb run on delete, with the flags stored at the last create. @default - nothing runs on delete */
    readonly delete?: string;
    /** Flags for the step; may contain Outputs. */
    readonly args: pulumi.Input<pulumi.Input<string>[]>;
    /** Values whose change re-runs the step. */
    readonly triggers?: pulumi.Input<unknown[]>;
    /** stdout carries a credential: store it as a secret and never log it. @default false */
    readonly secretStdout?: boolean;
    /** Standard input for the step. @default - none */
    readonly stdin?: pulumi.Input<string>;
}

/** The interpreter argv that runs a step program. */
export function stepInterpreter(step: StepName): string[] {
    return ["node", `bin/steps/${step}.js`];
}

export function stepCommand(name: string, args: StepCommandArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
    return new command.local.Command(
        name,
        {
            interpreter: stepInterpreter(args.step),
            create: args.create,
            delete: args.delete,
            environment: { [STEP_ARGS_ENV]: pulumi.output(args.args).apply((a) => JSON.stringify(a)) },
            triggers: args.triggers,
            stdin: args.stdin,
            // Progress goes to stderr; stdout is the step's JSON result, which may hold a kubeconfig.
            logging: args.secretStdout ? "stderr" : "stdoutAndStderr",
            addPreviousOutputInEnv: false,
        },
        args.secretStdout ? { ...opts, additionalSecretOutputs: ["stdout"] } : opts,
    );
}
