/**
 * The per-stack record of the kind cluster this project created, kept next to the stack's kubeconfig.
 *
 * The `cluster` step writes it when it creates a cluster and reads it to decide what to do with a cluster that already
 * has the name (adopt, replace or refuse), and `cluster status` compares it with what kind reports: when the recorded
 * cluster has vanished (a host reboot, `kind delete` by hand), the provider's diff replaces the cluster step, so the
 * next `up` re-creates the cluster and everything on it, and `preview` shows that.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ClusterRecord {
    readonly name: string;
    /** `creating` until kind reported success, so an interrupted create is recognised as ours. */
    readonly phase: "creating" | "ready";
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
 * Whether the cluster this stack created is still there: recorded as complete, and the same container kind reports
 * now. When kind cannot be run here nothing can be told, and the answer is yes (never replace on a guess).
 */
export function recordedClusterPresent(record: ClusterRecord | undefined, observed: ObservedCluster): boolean {
    if (!observed.observable) return true;
    return (
        record?.phase === "ready" &&
        observed.exists &&
        observed.identity !== undefined &&
        observed.identity === record.identity
    );
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
    if (record.phase === "ready" && observed.identity !== undefined && observed.identity === record.identity)
        return "adopt";
    return "replace-own";
}
