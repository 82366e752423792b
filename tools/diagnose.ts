/**
 * Why a workload did not become ready, in the terms one debugs it with: after a failed `up`, the workloads the engine
 * reports failed (from its event log), and for each its Pods' state, last events and last log lines. The Kubernetes
 * provider's own message says only that the rollout timed out.
 */
import { runTool } from "../lib/run-tool.js";

const WORKLOAD_TYPES = new Set([
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
]);

export interface FailedWorkload {
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    /** Labels that select its Pods. */
    readonly selector: Readonly<Record<string, string>>;
    /** What the engine said. */
    readonly message: string;
}

interface EngineEvent {
    resourcePreEvent?: { metadata: { urn: string; type: string; new?: { inputs?: WorkloadInputs } } };
    diagnosticEvent?: { urn?: string; message: string; severity: string };
    resOpFailedEvent?: { metadata: { urn: string; type: string } };
}

/** The workloads a run's event log (`pulumi up --event-log`, one JSON event a line) reports failed. */
/** What a workload's registered inputs say about where its Pods are. */
interface WorkloadInputs {
    readonly metadata?: { readonly name?: string; readonly namespace?: string };
    readonly spec?: {
        readonly selector?: { readonly matchLabels?: Record<string, string> };
        readonly template?: { readonly metadata?: { readonly labels?: Record<string, string> } };
    };
}

export function failedWorkloads(lines: readonly string[]): FailedWorkload[] {
    const inputs = new Map<string, WorkloadInputs>();
    const messages = new Map<string, string[]>();
    const failed: string[] = [];
    for (const line of lines) {
        let event: EngineEvent;
        try {
            event = JSON.parse(line) as EngineEvent;
        } catch {
            continue;
        }
        const pre = event.resourcePreEvent?.metadata;
        if (pre && WORKLOAD_TYPES.has(pre.type) && pre.new?.inputs) inputs.set(pre.urn, pre.new.inputs);
        const diag = event.diagnosticEvent;
        if (diag?.urn && diag.severity === "error")
            messages.set(diag.urn, [...(messages.get(diag.urn) ?? []), diag.message.trim()]);
        const op = event.resOpFailedEvent?.metadata;
        if (op && WORKLOAD_TYPES.has(op.type) && !failed.includes(op.urn)) failed.push(op.urn);
    }
    return failed.flatMap((urn) => {
        const object = inputs.get(urn);
        if (!object?.metadata?.name) return [];
        const selector = object.spec?.selector?.matchLabels ?? object.spec?.template?.metadata?.labels ?? {};
        return [
            {
                kind: urn.split("::")[2]?.split(":").pop() ?? "workload",
                namespace: object.metadata.namespace ?? "default",
                name: object.metadata.name,
                selector,
                message: (messages.get(urn) ?? []).join(" "),
            },
        ];
    });
}

interface Pod {
    metadata: { name: string };
    status: {
        phase?: string;
        containerStatuses?: {
            name: string;
            restartCount: number;
            state?: Record<string, { reason?: string; exitCode?: number; message?: string }>;
            lastState?: Record<string, { reason?: string; exitCode?: number }>;
        }[];
    };
}

/** One line per container: its state, restarts, last exit. */
function containerLines(pod: Pod): string[] {
    return (pod.status.containerStatuses ?? []).map((c) => {
        const [state, detail] = Object.entries(c.state ?? {})[0] ?? ["unknown", {}];
        const last = c.lastState?.terminated;
        return `container ${c.name}: ${detail.reason ?? state}${c.restartCount ? `, ${c.restartCount} restarts` : ""}${last ? `, last exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ""}` : ""}`;
    });
}

export interface KubectlOptions {
    readonly kubectl: string;
    readonly kubeconfig: string;
    /** Events and log lines shown per Pod. @default 5 events, 20 lines */
    readonly events?: number;
    readonly logLines?: number;
}

/** A readable account of each failed workload's Pods; a line per problem reaching the cluster. */
export async function describeFailures(failed: readonly FailedWorkload[], options: KubectlOptions): Promise<string> {
    const kubectl = async (args: string[]) =>
        await runTool(options.kubectl, ["--kubeconfig", options.kubeconfig, ...args], {
            doing: `run kubectl ${args[0]}`,
            allowFailure: true,
            timeoutSeconds: 30,
        });
    const out: string[] = [];
    for (const workload of failed) {
        out.push(
            `diagnosis: ${workload.kind} ${workload.namespace}/${workload.name} did not become ready${workload.message ? `: ${workload.message.split("\n")[0]}` : ""}`,
        );
        const selector = Object.entries(workload.selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(",");
        const pods = await kubectl([
            "-n",
            workload.namespace,
            "get",
            "pods",
            ...(selector ? ["-l", selector] : []),
            "-o",
            "json",
        ]);
        if (pods.exitCode !== 0) {
            out.push(`  cannot list its Pods: ${pods.stderr.trim().split("\n")[0]}`);
            continue;
        }
        const items = (JSON.parse(pods.stdout) as { items: Pod[] }).items;
        if (!items.length)
            out.push("  no Pods (see the ReplicaSet's events: quota, admission, a missing ServiceAccount)");
        for (const pod of items) {
            out.push(
                `  pod ${pod.metadata.name} (${pod.status.phase ?? "unknown"})`,
                ...containerLines(pod).map((l) => `    ${l}`),
            );
            const events = await kubectl([
                "-n",
                workload.namespace,
                "get",
                "events",
                "--field-selector",
                `involvedObject.name=${pod.metadata.name}`,
                "--sort-by=.lastTimestamp",
                "-o",
                'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}',
            ]);
            const lastEvents = events.stdout
                .trim()
                .split("\n")
                .filter(Boolean)
                .slice(-(options.events ?? 5));
            if (lastEvents.length) out.push("    events:", ...lastEvents.map((e) => `      ${e}`));
            const restarted = (pod.status.containerStatuses ?? []).some((c) => c.restartCount > 0);
            const logs = await kubectl([
                "-n",
                workload.namespace,
                "logs",
                pod.metadata.name,
                "--all-containers",
                `--tail=${options.logLines ?? 20}`,
                ...(restarted ? ["--previous"] : []),
            ]);
            const lines = (logs.exitCode === 0 ? logs.stdout : "").trim().split("\n").filter(Boolean);
            if (lines.length)
                out.push(
                    `    logs${restarted ? " (before the last restart)" : ""}:`,
                    ...lines.map((l) => `      ${l}`),
                );
        }
    }
    return out.join("\n");
}
