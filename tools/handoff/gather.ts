/**
 * What Kubernaut's must-gather collects when a suite fails, read with kubectl instead of a must-gather image (which
 * would have to be built and pulled): every pod's logs (previous containers too), the lane namespace's events and
 * Kubernaut's custom resources as YAML; then, per failed spec, the log lines and events of its time window.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import type { SpecOutcome } from "./report.js";

export interface GatherOptions {
    readonly kubectl: string;
    readonly kubeconfig: string;
    /** The lane's namespace: its events are gathered. */
    readonly namespace: string;
    /** The report folder: everything goes to `must-gather/` in it. */
    readonly dir: string;
    /** Seconds added before and after each failed spec's window. @default 10 */
    readonly marginSeconds?: number;
}

interface PodList {
    items: Array<{
        metadata: { namespace: string; name: string };
        spec: { containers: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
        status?: {
            containerStatuses?: Array<{ name: string; restartCount: number }>;
            initContainerStatuses?: Array<{ name: string; restartCount: number }>;
        };
    }>;
}

interface EventList {
    items: Array<{
        lastTimestamp?: string;
        eventTime?: string;
        metadata: { creationTimestamp?: string };
        type?: string;
        reason?: string;
        involvedObject: { kind?: string; name?: string };
        message?: string;
    }>;
}

/** One gathered line with its time, for the per-spec windows. */
interface Timed {
    readonly at: number;
    readonly line: string;
}

/** Collects into `<dir>/must-gather/`; returns that folder. Failures to read one thing are noted, not thrown. */
export async function mustGather(failed: readonly SpecOutcome[], options: GatherOptions): Promise<string> {
    const out = path.join(options.dir, "must-gather");
    fs.mkdirSync(out, { recursive: true });
    const notes: string[] = [];
    const kubectl = async (args: string[]) => {
        const result = await runTool(options.kubectl, ["--kubeconfig", options.kubeconfig, ...args], {
            doing: `kubectl ${args.join(" ")}`,
            allowFailure: true,
            timeoutSeconds: 120,
        });
        if (result.exitCode !== 0) notes.push(`kubectl ${args.join(" ")}: ${result.stderr.split("\n")[0]}`);
        return result.exitCode === 0 ? result.stdout : undefined;
    };
    const logs = new Map<string, Timed[]>();
    const pods = JSON.parse((await kubectl(["get", "pods", "-A", "-o", "json"])) ?? '{"items":[]}') as PodList;
    for (const pod of pods.items) {
        const { namespace, name } = pod.metadata;
        const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
        for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
            const restarted = (statuses.find((s) => s.name === c.name)?.restartCount ?? 0) > 0;
            for (const previous of restarted ? [false, true] : [false]) {
                const args = ["logs", "-n", namespace, name, "-c", c.name, "--timestamps"];
                const text = await kubectl(previous ? [...args, "--previous"] : args);
                if (text === undefined) continue;
                const rel = path.join("pods", namespace, name, `${c.name}${previous ? ".previous" : ""}.log`);
                write(out, rel, text);
                logs.set(rel, timedLines(text));
            }
        }
    }
    const eventsJson = await kubectl(["get", "events", "-n", options.namespace, "-o", "json"]);
    const events = eventsJson ? eventLines(JSON.parse(eventsJson) as EventList) : [];
    write(out, "events.txt", events.map((e) => e.line).join("\n"));
    const resources = (await kubectl(["api-resources", "--verbs=list", "-o", "name"])) ?? "";
    for (const resource of resources.split("\n").filter((r) => r.endsWith(".kubernaut.ai"))) {
        const yaml = await kubectl(["get", resource, "-A", "-o", "yaml"]);
        if (yaml !== undefined) write(out, path.join("resources", `${resource}.yaml`), yaml);
    }
    const margin = (options.marginSeconds ?? 10) * 1000;
    for (const [i, spec] of failed.entries()) {
        if (!spec.startTime || !spec.endTime) continue;
        const from = spec.startTime.getTime() - margin;
        const to = spec.endTime.getTime() + margin;
        const specDir = path.join("specs", `${String(i + 1).padStart(2, "0")}-${windowName(spec)}`);
        const inWindow = (t: Timed) => t.at >= from && t.at <= to;
        write(out, path.join(specDir, "spec.txt"), `${spec.text}\n${spec.failure?.firstLine ?? ""}\n`);
        write(
            out,
            path.join(specDir, "events.txt"),
            events
                .filter(inWindow)
                .map((e) => e.line)
                .join("\n"),
        );
        for (const [rel, lines] of logs) {
            const window = lines.filter(inWindow);
            if (window.length) write(out, path.join(specDir, rel), window.map((l) => l.line).join("\n"));
        }
    }
    if (notes.length) write(out, "not-gathered.txt", notes.join("\n"));
    return out;
}

function write(root: string, rel: string, text: string): void {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text.endsWith("\n") || text === "" ? text : `${text}\n`);
}

/** `kubectl logs --timestamps` lines with their time; a line without one takes the previous line's. */
export function timedLines(text: string): Timed[] {
    let at = 0;
    return text
        .split("\n")
        .filter((l) => l !== "")
        .map((line) => {
            const stamp = Date.parse(line.slice(0, line.indexOf(" ")));
            if (!Number.isNaN(stamp)) at = stamp;
            return { at, line };
        });
}

function eventLines(list: EventList): Timed[] {
    return list.items
        .map((e) => {
            const when = e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? "";
            const object = `${e.involvedObject.kind ?? ""}/${e.involvedObject.name ?? ""}`;
            const line = `${when} ${e.type ?? ""} ${e.reason ?? ""} ${object}: ${e.message ?? ""}`;
            return { at: Date.parse(when) || 0, line };
        })
        .sort((a, b) => a.at - b.at);
}

/** `HHMMSS-HHMMSS-<first words of the spec>`: the spec's window in UTC, and what it was. */
export function windowName(spec: SpecOutcome): string {
    const hms = (d?: Date) => (d ? d.toISOString().slice(11, 19).replace(/:/g, "") : "unknown");
    const slug = spec.text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .slice(0, 60);
    return `${hms(spec.startTime)}-${hms(spec.endTime)}-${slug}`;
}
