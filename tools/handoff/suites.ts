/**
 * Kubernaut's Ginkgo suites as `npm run e2e` runs them against a stack: for each lane, where its suite is, the
 * hand-off edits its copy gets (`edits.ts`, docs/suite-handoff.md), what it needs in its environment, and the specs
 * that cannot run on this kind of machine, each with the reason. Kubernaut's facts, as data: `lanes/<lane>.ts`.
 */
import type { LaneName } from "../../stacks/lanes.js";
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
import type { SuiteSpec } from "./suite-spec.js";

export type { NotRunnableHere, SuiteSpec } from "./suite-spec.js";

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
