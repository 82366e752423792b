/**
 * The per-stack record of the kind cluster this project created, kept next to the stack's kubeconfig.
 *
 * Pulumi's state cannot be read by the program that is being planned, yet the program must notice when the cluster it
 * created has vanished (a host reboot, `kind delete` by hand) so that the next `up` re-creates it and everything on it.
 * The `cluster` step writes this record; the program compares it with what kind reports and derives a *generation*
 * that feeds the create command's triggers. The generation changes only when the recorded cluster is gone.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ClusterRecord {
    readonly name: string;
    /** `creating` until kind reported success, so an interrupted create is recognised as ours. */
    readonly phase: "creating" | "ready";
    /** The generation the cluster was created for. */
    readonly generation: string;
    /** Control-plane container ID, once ready. */
    readonly identity?: string;
}

/** What kind and the engine report now. `undefined` identity with `exists` means it could not be read. */
export interface ObservedCluster {
    /** False when kind is not installed here, so nothing can be observed. */
    readonly observable: boolean;
    readonly exists: boolean;
    readonly identity?: string;
}

export const INITIAL_GENERATION = "initial";

export function recordPath(stateDir: string): string {
    return path.join(stateDir, "cluster.json");
}

export function readRecord(stateDir: string): ClusterRecord | undefined {
    try {
        return JSON.parse(fs.readFileSync(recordPath(stateDir), "utf8")) as ClusterRecord;
    } catch {
        return undefined;
    }
}

export function writeRecord(stateDir: string, record: ClusterRecord): void {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(recordPath(stateDir), `${JSON.stringify(record, null, 2)}\n`);
}

export function removeRecord(stateDir: string): void {
    fs.rmSync(recordPath(stateDir), { force: true });
}

/**
 * The generation the program should ask for. It stays what the record says while the recorded cluster is there (or
 * cannot be observed, e.g. kind is not installed); it becomes a new value derived from the lost identity when the
 * cluster is missing or is a different container than the one recorded.
 */
export function desiredGeneration(record: ClusterRecord | undefined, observed: ObservedCluster): string {
    if (!record) return INITIAL_GENERATION;
    if (record.phase !== "ready" || !observed.observable) return record.generation;
    if (observed.exists && observed.identity === record.identity) return record.generation;
    return `after-${(record.identity ?? "unknown").slice(0, 12)}`;
}

export type CreateDecision = "create" | "adopt" | "replace-own" | "refuse-foreign";

/**
 * What `cluster create` does with a cluster that already has the name. Ours and complete (same identity as recorded):
 * adopt it. Ours but interrupted or drifted: delete and create again, since a half-made cluster cannot be trusted.
 * Not ours (no record): refuse, because deleting another tool's cluster would destroy someone's work.
 */
export function createDecision(record: ClusterRecord | undefined, observed: ObservedCluster): CreateDecision {
    if (!observed.exists) return "create";
    if (!record) return "refuse-foreign";
    if (record.phase === "ready" && observed.identity !== undefined && observed.identity === record.identity) return "adopt";
    return "replace-own";
}
