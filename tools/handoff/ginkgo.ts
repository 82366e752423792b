/**
 * The Ginkgo CLI's command line for a compiled suite: the user's Ginkgo flags (as the CLI spells them, or as a test
 * binary does: `--ginkgo.focus=X` is `--focus=X`), Kubernaut's defaults where the user gave none (a process per core,
 * its E2E timeout with room for a slower machine), the reports, and the specs not runnable here as `--skip`.
 */
import * as os from "node:os";
import type { NotRunnableHere } from "./suites.js";

/** Flags `npm run e2e` sets itself: a user's value would put the reports where the command does not read them. */
const OWN_FLAGS = ["json-report", "junit-report", "output-dir"];

/** The default `--timeout`: Kubernaut's `TEST_TIMEOUT_E2E` is 18m on its CI machines; these have 2 cores. */
export const DEFAULT_TIMEOUT = "1h";

export interface GinkgoRun {
    readonly binary: string;
    readonly reportDir: string;
    /** Flags given after `--`. */
    readonly userFlags: readonly string[];
    readonly notRunnableHere: readonly NotRunnableHere[];
    /** @default - the number of cores */
    readonly procs?: number;
}

/** The name of a flag (`--focus=x` → `focus`, `-p` → `p`), or undefined for a value. */
function flagName(arg: string): string | undefined {
    const match = /^--?([A-Za-z][\w.-]*)/.exec(arg);
    return match?.[1];
}

/** `--ginkgo.focus=X` → `--focus=X`, `-ginkgo.v` → `-v`: the test binary's spelling, as the CLI takes it. */
export function cliSpelling(arg: string): string {
    return arg.replace(/^(--?)ginkgo\./, "$1");
}

/** The Ginkgo CLI's arguments; throws naming a flag the command sets itself. */
export function ginkgoArgs(run: GinkgoRun): string[] {
    const user = run.userFlags.map(cliSpelling);
    const given = new Set(user.map(flagName).filter((n): n is string => n !== undefined));
    for (const own of OWN_FLAGS)
        if (given.has(own))
            throw new Error(`\`--${own}\` is set by npm run e2e (reports go to .work/<stack>/reports/<time>/)`);
    const parallel = ["p", "procs", "nodes"].some((f) => given.has(f));
    return [
        ...(parallel ? [] : [`--procs=${run.procs ?? os.availableParallelism()}`]),
        ...(given.has("timeout") ? [] : [`--timeout=${DEFAULT_TIMEOUT}`]),
        `--output-dir=${run.reportDir}`,
        "--json-report=ginkgo.json",
        "--junit-report=junit.xml",
        ...run.notRunnableHere.map((n) => `--skip=${n.specs}`),
        ...user,
        run.binary,
    ];
}
