/**
 * Kubernaut's Ginkgo suites as `npm run e2e` runs them against a stack: for each lane, where its suite is, the
 * hand-off edits its copy gets (`edits.ts`, docs/suite-handoff.md), what it needs in its environment, and the specs
 * that cannot run on this kind of machine, each with the reason. Kubernaut's facts, as data: `lanes/<lane>.ts`.
 */
import type { LaneName } from "../../stacks/lanes.js";
import type { SuiteEdit } from "./edits.js";
import { aianalysis } from "./lanes/aianalysis.js";
import { authwebhook } from "./lanes/authwebhook.js";
import { datastorage } from "./lanes/datastorage.js";
import { effectivenessmonitor } from "./lanes/effectivenessmonitor.js";
import { gateway } from "./lanes/gateway.js";
import { kubernautagent } from "./lanes/kubernautagent.js";
import { notification } from "./lanes/notification.js";
import { remediationorchestrator } from "./lanes/remediationorchestrator.js";
import { signalprocessing } from "./lanes/signalprocessing.js";
import { workflowexecution } from "./lanes/workflowexecution.js";

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

export const SUITES: Readonly<Partial<Record<LaneName, SuiteSpec>>> = Object.fromEntries(
    [
        signalprocessing,
        gateway,
        datastorage,
        authwebhook,
        remediationorchestrator,
        workflowexecution,
        aianalysis,
        notification,
        effectivenessmonitor,
        kubernautagent,
    ].map((suite) => [suite.stack, suite]),
);
