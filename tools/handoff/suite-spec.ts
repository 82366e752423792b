/**
 * What `npm run e2e` needs to know of one lane's Kubernaut suite (the type each `lanes/<lane>.ts` declares; the list
 * of them is `suites.ts`).
 */
import type { LaneName } from "../../stacks/lanes.js";
import type { SuiteEdit } from "./edits.js";

/** Specs a suite cannot run on this kind of machine: left out with `--skip`, and listed with the reason. */
export interface NotRunnableHere {
    /** A regular expression over the spec's full text, as Ginkgo's `--skip` takes it. */
    readonly specs: string;
    /** How many specs it leaves out (the report checks it). */
    readonly count: number;
    readonly reason: string;
}

export interface SuiteSpec {
    readonly stack: LaneName;
    /** The suite's package, relative to Kubernaut's checkout. */
    readonly dir: string;
    /** Its Go package name. */
    readonly package: string;
    /** Go code the package needs beyond the common helper (`go-helper.ts`). @default "" */
    readonly goHelper?: string;
    readonly edits: readonly SuiteEdit[];
    /** Environment the suite reads, from the stack's outputs (by key, a URL's suffix removed). @default {} */
    readonly env?: Readonly<Record<string, { readonly output: string; readonly suffix?: string } | string>>;
    /** @default [] */
    readonly notRunnableHere?: readonly NotRunnableHere[];
    /**
     * Kinds of object the suite creates under fixed names and never deletes, so a re-run adopts last run's: deleted
     * in the lane's namespace before each run. @default []
     */
    readonly leftovers?: readonly string[];
    /** Why this lane's change is more than the smallest one (skip setup, trust the CA, the token, skip teardown). */
    readonly beyondSmallest?: string;
}
