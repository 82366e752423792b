/**
 * Reading a Ginkgo JSON report (`--json-report`): every spec's state, the suite-level nodes that failed (a failed
 * `SynchronizedBeforeSuite` fails the run with no spec failed), each failure's first line and location, and the
 * counts `npm run e2e` prints at the end.
 */
import * as fs from "node:fs";
import type { NotRunnableHere } from "./suites.js";

interface Location {
    readonly FileName?: string;
    readonly LineNumber?: number;
}

interface GinkgoSpecReport {
    readonly ContainerHierarchyTexts?: readonly string[] | null;
    readonly LeafNodeType: string;
    readonly LeafNodeText?: string;
    readonly LeafNodeLocation?: Location;
    readonly State: string;
    readonly StartTime?: string;
    readonly EndTime?: string;
    readonly Failure?: { readonly Message?: string; readonly Location?: Location; readonly FailureNodeType?: string };
}

interface GinkgoSuiteReport {
    readonly SuiteDescription?: string;
    readonly SuiteSucceeded?: boolean;
    readonly PreRunStats?: { readonly TotalSpecs?: number; readonly SpecsThatWillRun?: number };
    readonly SpecReports?: readonly GinkgoSpecReport[] | null;
}

/** Ginkgo's spec states that are failures of one kind or another. */
const FAILED_STATES = new Set(["failed", "aborted", "panicked", "interrupted", "timedout"]);

export interface SpecOutcome {
    /** The containers' texts and the spec's, joined by ` › `; a suite node's type when it has no text. */
    readonly text: string;
    /** `It`, or the suite-level node (`SynchronizedBeforeSuite`, `ReportAfterSuite`, …). */
    readonly nodeType: string;
    /** `passed`, `skipped`, `pending`, or a failure: `failed`, `panicked`, `timedout`, `interrupted`, `aborted`. */
    readonly state: string;
    readonly failed: boolean;
    readonly startTime?: Date;
    readonly endTime?: Date;
    readonly failure?: { readonly firstLine: string; readonly location: string };
    /** For a spec left out as not runnable here, the reason. */
    readonly notRunnable?: string;
}

export interface SuiteOutcome {
    /** Specs in the suite before any filter (Ginkgo's pre-run count). */
    readonly totalSpecs: number;
    readonly specs: readonly SpecOutcome[];
    /** Suite-level nodes that ran: their failures fail the run too. */
    readonly suiteNodes: readonly SpecOutcome[];
    readonly succeeded: boolean;
}

const where = (l?: Location) => (l?.FileName ? `${l.FileName}:${l.LineNumber ?? 0}` : "unknown location");

function outcome(r: GinkgoSpecReport, notRunnable: readonly NotRunnableHere[]): SpecOutcome {
    const text = [...(r.ContainerHierarchyTexts ?? []), r.LeafNodeText ?? ""].filter(Boolean).join(" › ");
    const message = r.Failure?.Message ?? "";
    const failed = FAILED_STATES.has(r.State);
    const reason = notRunnable.find((n) => r.State === "skipped" && new RegExp(n.specs).test(text))?.reason;
    return {
        text: text || r.LeafNodeType,
        nodeType: r.LeafNodeType,
        state: r.State,
        failed,
        ...(r.StartTime ? { startTime: new Date(r.StartTime) } : {}),
        ...(r.EndTime ? { endTime: new Date(r.EndTime) } : {}),
        ...(failed
            ? {
                  failure: {
                      firstLine:
                          message
                              .split("\n")
                              .find((l) => l.trim())
                              ?.trim() ?? `(${r.State}, no message)`,
                      location: where(r.Failure?.Location ?? r.LeafNodeLocation),
                  },
              }
            : {}),
        ...(reason ? { notRunnable: reason } : {}),
    };
}

/** The outcome of the report at `file`; `notRunnable` names why specs left out with `--skip` were. */
export function readSuiteReport(file: string, notRunnable: readonly NotRunnableHere[] = []): SuiteOutcome {
    let suites: GinkgoSuiteReport[];
    try {
        suites = JSON.parse(fs.readFileSync(file, "utf8")) as GinkgoSuiteReport[];
    } catch (err) {
        throw new Error(`cannot read the Ginkgo report ${file}: ${(err as Error).message}`);
    }
    if (!Array.isArray(suites)) throw new Error(`${file}: expected a Ginkgo JSON report (an array of suites)`);
    const reports = suites.flatMap((s) => s.SpecReports ?? []);
    const outcomes = reports.map((r) => outcome(r, notRunnable));
    return {
        totalSpecs: suites.reduce((n, s) => n + (s.PreRunStats?.TotalSpecs ?? 0), 0),
        specs: outcomes.filter((o) => o.nodeType === "It"),
        suiteNodes: outcomes.filter((o) => o.nodeType !== "It"),
        succeeded: suites.every((s) => s.SuiteSucceeded === true),
    };
}

/** Counts by state, in a fixed order: `passed 27 · failed 0 · skipped 1 · pending 0` (and any other state). */
export function stateCounts(specs: readonly SpecOutcome[]): Map<string, number> {
    const counts = new Map<string, number>(["passed", "failed", "skipped", "pending"].map((s) => [s, 0]));
    for (const s of specs) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
    return counts;
}

/** The lines `npm run e2e` ends with: one per state, then each failure and each spec not runnable here. */
export function summaryLines(outcome: SuiteOutcome): string[] {
    const lines = [`${outcome.specs.length} of ${outcome.totalSpecs} specs reported`];
    for (const [state, n] of stateCounts(outcome.specs)) {
        const notHere = state === "skipped" ? outcome.specs.filter((s) => s.notRunnable).length : 0;
        lines.push(`  ${state.padEnd(11)} ${n}${notHere ? ` (${notHere} not runnable here)` : ""}`);
    }
    for (const f of [...outcome.suiteNodes, ...outcome.specs].filter((s) => s.failed)) {
        lines.push(`  ${f.state.toUpperCase()} [${f.nodeType}] ${f.text}`);
        lines.push(`      ${f.failure?.firstLine ?? ""}`);
        lines.push(`      at ${f.failure?.location ?? ""}`);
    }
    const reasons = new Map<string, number>();
    for (const s of outcome.specs) if (s.notRunnable) reasons.set(s.notRunnable, (reasons.get(s.notRunnable) ?? 0) + 1);
    for (const [reason, n] of reasons) lines.push(`  not runnable here (${n}): ${reason}`);
    return lines;
}

/** Whether the run failed: a failed spec or suite node, or a suite Ginkgo did not mark as succeeded. */
export function runFailed(outcome: SuiteOutcome): boolean {
    return !outcome.succeeded || [...outcome.specs, ...outcome.suiteNodes].some((s) => s.failed);
}
