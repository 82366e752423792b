/**
 * Flags several step programs share, declared once: which engine (and binary) to use, which kind binary, and the dry
 * run. Each is the flag's declaration and its zod rule, spread into a verb's own flags and schema.
 */
import { z } from "zod";
import { ENGINE_NAMES } from "../../lib/engine.js";
import type { FlagSpecs } from "../../lib/command-line.js";

export const ENGINE_FLAGS: FlagSpecs = {
    engine: { type: "string", value: "docker|podman", description: "container engine (default: auto-detected)" },
    "engine-bin": { type: "string", value: "PATH", description: "engine executable (default: KUBERNAUT_E2E_DOCKER / KUBERNAUT_E2E_PODMAN, then PATH)" },
};
export const ENGINE_SCHEMA = { engine: z.enum(ENGINE_NAMES).optional(), "engine-bin": z.string().min(1).optional() };

export const KIND_FLAGS: FlagSpecs = { kind: { type: "string", value: "PATH", description: "kind executable (default: KUBERNAUT_E2E_KIND, then PATH)" } };
export const KIND_SCHEMA = { kind: z.string().min(1).optional() };

/** Set in the environment, it makes every step a dry run: check the inputs, print what would run, change nothing. */
export const DRY_RUN_ENV = "KUBERNAUT_E2E_DRY_RUN";

export const DRY_RUN_FLAGS: FlagSpecs = { "dry-run": { type: "boolean", description: `check the inputs and print the commands that would run, without running them (also: ${DRY_RUN_ENV}=1)` } };
export const DRY_RUN_SCHEMA = { "dry-run": z.boolean().optional() };

export function isDryRun(flags: { "dry-run"?: boolean }, env: NodeJS.ProcessEnv): boolean {
    return flags["dry-run"] === true || env[DRY_RUN_ENV] === "1";
}

/** Positionals are not taken by the steps. */
export const NO_POSITIONALS = { _: z.array(z.string()).max(0, "takes no positional arguments") };
