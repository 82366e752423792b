/**
 * Objects a suite made under fixed names in an earlier run and never deleted, removed before the next run so it
 * starts as the suite's own setup would have left the cluster. Deleted as the lane's controllers would (their
 * finalizers run); what is still there after a while holds a finalizer no controller of the lane removes (API
 * Frontend's, on AgentSessions), which is then dropped.
 */
import { runTool } from "../../lib/run-tool.js";

export interface LeftoverOptions {
    readonly kubectl: string;
    readonly kubeconfig: string;
    readonly namespace: string;
    readonly log: (line: string) => void;
    /** How long the controllers get to finish a deletion. @default 30 */
    readonly graceSeconds?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deletes every object of `kinds` in the namespace; returns how many there were. */
export async function removeLeftovers(kinds: readonly string[], options: LeftoverOptions): Promise<number> {
    const kubectl = (args: string[], doing: string) =>
        runTool(options.kubectl, ["--kubeconfig", options.kubeconfig, "-n", options.namespace, ...args], { doing });
    const names = async (kind: string) =>
        (await kubectl(["get", kind, "-o", "name"], `list ${kind}`)).stdout.split("\n").filter(Boolean);
    let removed = 0;
    for (const kind of kinds) {
        const found = await names(kind);
        if (!found.length) continue;
        removed += found.length;
        options.log(`e2e: removing ${found.length} ${kind} left by an earlier run`);
        await kubectl(["delete", kind, "--all", "--wait=false"], `delete the leftover ${kind}`);
        const deadline = Date.now() + (options.graceSeconds ?? 30) * 1000;
        let remaining = await names(kind);
        while (remaining.length && Date.now() < deadline) {
            await sleep(2000);
            remaining = await names(kind);
        }
        for (const name of remaining)
            await kubectl(
                ["patch", name, "--type=merge", "-p", '{"metadata":{"finalizers":null}}'],
                `drop the finalizers of ${name}`,
            );
    }
    return removed;
}
