/**
 * Steps of a real `pulumi up`, read from its event log (`--event-log`): one EngineEvent JSON object per line.
 *
 * A step is a `resourcePreEvent` and the next `resOutputsEvent` or `resOpFailedEvent` with the same URN and op (a
 * replace is two steps of one URN: `create-replacement` and `delete-replaced`). Preview events (`planning: true`) and
 * `same` steps are skipped. Timestamps are whole Unix seconds; lines are ordered by `sequence`, not file order.
 */
import { STEP_TYPE } from "../../lib/step-contract.js";

export interface StepMetadata {
    readonly op: string;
    readonly urn: string;
    readonly type: string;
    readonly new?: { readonly parent?: string; readonly inputs?: Record<string, unknown> };
    readonly old?: { readonly parent?: string; readonly inputs?: Record<string, unknown> };
}

/** The fields of Pulumi's EngineEvent this reader uses. */
export interface EngineEvent {
    readonly sequence: number;
    readonly timestamp: number;
    readonly resourcePreEvent?: { readonly metadata: StepMetadata; readonly planning?: boolean };
    readonly resOutputsEvent?: { readonly metadata: StepMetadata; readonly planning?: boolean };
    readonly resOpFailedEvent?: { readonly metadata: StepMetadata; readonly status?: number; readonly steps?: number };
}

export const STEP_KINDS = ["image build", "cluster", "image load", "kubernetes object", "other"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface Step {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly op: string;
    /** Seconds since the first event of the log. */
    readonly start: number;
    readonly end: number;
    readonly seconds: number;
    readonly status: "ok" | "failed";
    readonly parent: string | null;
    readonly kind: StepKind;
}

export interface StepLog {
    /** Unix seconds of the first event. */
    readonly startedAt: number;
    /** From the first event to the last. */
    readonly wallSeconds: number;
    readonly steps: Step[];
}

/** The last segment of a URN: the resource's name. */
export function nameOf(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/**
 * What kind of work a step is. Step commands are recognised by the program they run (their inputs) or, when the log
 * carries no inputs, by the names this project gives them.
 */
export function kindOf(type: string, urn: string, inputs?: Record<string, unknown>): StepKind {
    if (type.startsWith("kubernetes:") || type === "pulumi:providers:kubernetes") return "kubernetes object";
    if (type !== STEP_TYPE) return "other";
    const step = inputs?.step as string | undefined;
    const create = inputs?.create as { verb?: string } | string[] | undefined;
    // Event logs of runs before typed requests carry the argument list.
    const verb = Array.isArray(create) ? create[0] : create?.verb;
    if (step === "image" || (!step && /-(build|pull)$/.test(nameOf(urn))))
        return verb === "save" ? "other" : "image build";
    if (step === "cluster" || (!step && urn.includes("KindCluster$"))) return "cluster";
    if (step === "load" || (!step && urn.includes("ImageLoad$"))) return "image load";
    return "other";
}

/** Parses an event log's text; malformed lines fail naming their line number. */
export function parseEventLog(text: string): EngineEvent[] {
    return text.split("\n").flatMap((line, i) => {
        if (line.trim() === "") return [];
        try {
            return [JSON.parse(line) as EngineEvent];
        } catch (err) {
            throw new Error(`event log line ${i + 1}: not JSON (${(err as Error).message})`);
        }
    });
}

export function readSteps(events: readonly EngineEvent[]): StepLog {
    const ordered = [...events].sort((a, b) => a.sequence - b.sequence);
    if (ordered.length === 0) return { startedAt: 0, wallSeconds: 0, steps: [] };
    const startedAt = Math.min(...ordered.map((e) => e.timestamp));
    const endedAt = Math.max(...ordered.map((e) => e.timestamp));
    const open = new Map<string, { event: EngineEvent; metadata: StepMetadata }>();
    const steps: Step[] = [];
    const close = (event: EngineEvent, metadata: StepMetadata, status: Step["status"]) => {
        const key = `${metadata.urn}\0${metadata.op}`;
        const started = open.get(key);
        if (!started) return;
        open.delete(key);
        const state = started.metadata.new ?? started.metadata.old;
        const start = started.event.timestamp - startedAt;
        const end = event.timestamp - startedAt;
        steps.push({
            urn: metadata.urn,
            type: metadata.type,
            name: nameOf(metadata.urn),
            op: metadata.op,
            start,
            end,
            seconds: end - start,
            status,
            parent: state?.parent || null,
            kind: kindOf(metadata.type, metadata.urn, state?.inputs),
        });
    };
    for (const event of ordered) {
        const pre = event.resourcePreEvent;
        if (pre && !pre.planning && pre.metadata.op !== "same")
            open.set(`${pre.metadata.urn}\0${pre.metadata.op}`, { event, metadata: pre.metadata });
        const outputs = event.resOutputsEvent;
        if (outputs && !outputs.planning) close(event, outputs.metadata, "ok");
        if (event.resOpFailedEvent) close(event, event.resOpFailedEvent.metadata, "failed");
    }
    // A step still open at the end never finished (a cancelled or crashed run): it ran until the last event.
    for (const { event, metadata } of open.values()) close({ ...event, timestamp: endedAt }, metadata, "failed");
    steps.sort((a, b) => a.start - b.start || a.end - b.end || a.urn.localeCompare(b.urn));
    return { startedAt, wallSeconds: endedAt - startedAt, steps };
}
