/**
 * `npm run --silent timeline -- <event-log> [--graph <stack export JSON | plan JSON>] [--json] [--svg FILE]`: where a
 * `pulumi up --event-log` run spent its time — every step with its start, end, op and status, seconds per kind of
 * step and per component, and, given the dependency graph, the critical path and each step's slack.
 */
import * as fs from "node:fs";
import { pathToFileURL } from "node:url";
import { main, parseCommandLine, UsageError, type StepIO } from "../lib/step-cli.js";
import { readGraph } from "../tools/timeline/graph.js";
import { buildTimeline, timelineJson, timelineTable } from "../tools/timeline/report.js";
import { parseEventLog } from "../tools/timeline/steps.js";
import { ganttSvg } from "../tools/timeline/svg.js";

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const parsed = parseCommandLine("timeline", argv, { graph: { type: "string" }, json: { type: "boolean" }, svg: { type: "string" }, title: { type: "string" } });
    const [logFile, ...extra] = parsed.positionals;
    if (!logFile || extra.length) throw new UsageError("usage: npm run --silent timeline -- <event-log> [--graph FILE] [--json] [--svg FILE]");
    const read = (file: string, what: string) => {
        try {
            return fs.readFileSync(file, "utf8");
        } catch (err) {
            throw new UsageError(`timeline: cannot read the ${what} \`${file}\`: ${(err as Error).message}`);
        }
    };
    const events = parseEventLog(read(logFile, "event log"));
    const graph = parsed.values.graph ? readGraph(JSON.parse(read(parsed.values.graph, "graph"))) : undefined;
    const timeline = buildTimeline(events, graph);
    if (parsed.values.svg) {
        fs.writeFileSync(parsed.values.svg, ganttSvg(timeline.steps, { title: parsed.values.title ?? `${logFile}: ${timeline.wallSeconds} s`, criticalPath: new Set(timeline.criticalPath) }));
    }
    io.out(parsed.values.json ? timelineJson(timeline) : timelineTable(timeline));
    return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("timeline", run);
