/**
 * What every step program's verbs share beyond their declared flags (`lib/step-verbs.ts`): the dry run, and no
 * positional arguments.
 */
import { z } from "zod";
import type { FlagSpecs } from "../../lib/command-line.js";

/** Set in the environment, it makes every step a dry run: check the inputs, print what would run, change nothing. */
export const DRY_RUN_ENV = "KUBERNAUT_E2E_DRY_RUN";

export const DRY_RUN_FLAGS: FlagSpecs = {
    "dry-run": {
        type: "boolean",
        description: `check the inputs and print the commands that would run, without running them (also: ${DRY_RUN_ENV}=1)`,
    },
};
export const DRY_RUN_SCHEMA = { "dry-run": z.boolean().optional() };

export function isDryRun(flags: { "dry-run"?: boolean }, env: NodeJS.ProcessEnv): boolean {
    return flags["dry-run"] === true || env[DRY_RUN_ENV] === "1";
}

/** Positionals are not taken by the steps. */
export const NO_POSITIONALS = { _: z.array(z.string()).max(0, "takes no positional arguments") };
