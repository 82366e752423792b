/**
 * `npm run --silent timeline -- <event-log> [--graph <stack export JSON | plan JSON>] [--json] [--svg FILE]`: where a
 * `pulumi up --event-log` run spent its time — every step with its start, end, op and status, seconds per kind of
 * step and per component, and, given the dependency graph, the critical path and each step's slack.
 */
import * as fs from "node:fs";
import { z } from "zod";
import { command, isMain, main, UsageError } from "../lib/command-line.js";
import { readGraph } from "../tools/timeline/graph.js";
import { buildTimeline, timelineJson, timelineTable } from "../tools/timeline/report.js";
import { parseEventLog } from "../tools/timeline/steps.js";
import { ganttSvg } from "../tools/timeline/svg.js";

export const run = command("timeline", {
    description:
        "a real run's steps from its event log: every step, seconds per kind and component, critical path and slack",
    positionals: [{ name: "event-log", description: "pulumi --event-log file" }],
    flags: {
        graph: {
            type: "string",
            value: "FILE",
            description: "the stack's graph (`pulumi stack export` or `plan --json`), for the critical path",
        },
        json: { type: "boolean", description: "print the report as JSON" },
        svg: { type: "string", value: "FILE", description: "draw a Gantt chart" },
        title: { type: "string", value: "TEXT", description: "the chart's title" },
    },
    schema: z.object({
        _: z.tuple([z.string()]),
        graph: z.string().optional(),
        json: z.boolean().optional(),
        svg: z.string().optional(),
        title: z.string().optional(),
    }),
    async run(values, io) {
        const [logFile] = values._;
        const read = (file: string, what: string) => {
            try {
                return fs.readFileSync(file, "utf8");
            } catch (err) {
                throw new UsageError(`timeline: cannot read the ${what} \`${file}\`: ${(err as Error).message}`);
            }
        };
        const events = parseEventLog(read(logFile, "event log"));
        const graph = values.graph ? readGraph(JSON.parse(read(values.graph, "graph"))) : undefined;
        const timeline = buildTimeline(events, graph);
        if (values.svg) {
            fs.writeFileSync(
                values.svg,
                ganttSvg(timeline.steps, {
                    title: values.title ?? `${logFile}: ${timeline.wallSeconds} s`,
                    criticalPath: new Set(timeline.criticalPath),
                }),
            );
        }
        io.out(values.json ? timelineJson(timeline) : timelineTable(timeline));
        return 0;
    },
});

if (isMain(import.meta.url)) await main("timeline", run);
