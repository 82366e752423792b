/**
 * A step program's verb, from its declaration in `lib/step-verbs.ts`: its flags and `--help` lines, the schema its
 * command line is parsed with (into the typed flags the components' requests carry), and `--dry-run`.
 */
import { z } from "zod";
import type { CommandSpec, FlagSpecs, StepIO } from "../../lib/command-line.js";
import type { VerbFlags } from "../../lib/step-flags.js";
import { verbDef, type StepName, type VerbName, type VerbOf } from "../../lib/step-verbs.js";
import { DRY_RUN_FLAGS, DRY_RUN_SCHEMA, NO_POSITIONALS } from "./flags.js";

/** The flags a step's verb runs with: the declared ones, parsed, and `--dry-run`. */
export type Flags<S extends StepName, V extends VerbName<S>> = VerbFlags<VerbOf<S, V>> & {
    readonly "dry-run"?: boolean;
};

export function verbSpec<S extends StepName, V extends VerbName<S>>(
    step: S,
    verb: V,
    run: (flags: Flags<S, V>, io: StepIO) => Promise<number>,
): CommandSpec {
    const def = verbDef(step, verb);
    const flags: FlagSpecs = Object.fromEntries(
        Object.entries(def.flags).map(([name, f]) => [
            name,
            {
                type: f.type,
                description: f.description,
                ...(f.multiple ? { multiple: true } : {}),
                ...(f.value ? { value: f.value } : {}),
            },
        ]),
    );
    const schema = z.object({
        ...Object.fromEntries(Object.entries(def.flags).map(([name, f]) => [name, f.cli])),
        ...DRY_RUN_SCHEMA,
        ...NO_POSITIONALS,
    });
    return {
        description: def.description,
        flags: { ...flags, ...DRY_RUN_FLAGS },
        schema,
        run: (values, io) => run(values as Flags<S, V>, io),
    };
}
