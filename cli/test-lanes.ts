/**
 * `npm run test:lanes [-- <stack>…] [--keep] [--readme]`: every lane (or those named), one after the other, the
 * way a Kubernaut developer would check them: `npm run e2e -- <stack>` from a destroyed stack (its `up` timed, the
 * suite run, the stack destroyed after unless `--keep`). The results go to `.work/lanes/<time>/results.json` and a
 * Markdown table; `--readme` records them in `docs/lane-results.json` (by lane, so a run of some lanes keeps the
 * others') and writes the table of all of them into README.md between its `lanes:results` markers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { command, isMain, main, seconds } from "../lib/command-line.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { scopeOfStack } from "../stacks/programs.js";
import { namespaceConfig, readStackConfigFile } from "../lib/config.js";
import { SUITES } from "../tools/handoff/suites.js";
import { runPulumi } from "./pulumi.js";

interface LaneResult {
    readonly stack: string;
    readonly exitCode: number;
    readonly totalSpecs?: number;
    readonly states?: Record<string, number>;
    readonly notRunnableHere?: number;
    readonly notRunnableReasons?: readonly string[];
    readonly upSeconds?: number;
    readonly suiteSeconds?: number;
    readonly wallSeconds: number;
    readonly reportDir?: string;
    /** The day it ran. */
    readonly date: string;
}

const RESULTS_FILE = path.join(PROJECT_ROOT, "docs", "lane-results.json");

const README_BEGIN = "<!-- lanes:results:begin -->";
const README_END = "<!-- lanes:results:end -->";

/** The report folder `npm run e2e` wrote for `stack` after `since` (ms), if any. */
function newestReport(stack: string, since: number): string | undefined {
    const reports = scopeOfStack(stack, namespaceConfig(readStackConfigFile(stack))).reportsDir;
    if (!fs.existsSync(reports)) return undefined;
    const newest = fs
        .readdirSync(reports)
        .map((d) => path.join(reports, d))
        .filter((d) => fs.existsSync(path.join(d, "result.json")) && fs.statSync(d).mtimeMs >= since)
        .sort()
        .pop();
    return newest;
}

async function runLane(stack: string, keep: boolean, log: (line: string) => void): Promise<LaneResult> {
    const started = performance.now();
    const since = Date.now();
    const io = { out: log, log, env: process.env };
    // From nothing: what is left of an earlier run goes first (its time is not the lane's).
    await runPulumi("destroy", stack, ["--yes", "--skip-preview"], io);
    const run = await execa("node", [path.join(PROJECT_ROOT, "bin", "cli", "e2e.js"), stack], {
        stdio: "inherit",
        reject: false,
    });
    const reportDir = newestReport(stack, since);
    const result = reportDir
        ? (JSON.parse(fs.readFileSync(path.join(reportDir, "result.json"), "utf8")) as Partial<LaneResult>)
        : {};
    if (!keep) await runPulumi("destroy", stack, ["--yes", "--skip-preview"], io);
    const suite = SUITES[stack as keyof typeof SUITES];
    return {
        stack,
        exitCode: run.exitCode ?? 1,
        ...result,
        notRunnableReasons: (suite?.notRunnableHere ?? []).map((n) => `${n.count}: ${n.reason}`),
        wallSeconds: seconds(started),
        date: new Date().toISOString().slice(0, 10),
        ...(reportDir ? { reportDir: path.relative(PROJECT_ROOT, reportDir) } : {}),
    };
}

/** `2 min 60 s` never: the seconds are rounded before they are split. */
export function minutes(s?: number): string {
    if (s === undefined) return "—";
    const whole = Math.round(s);
    return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** The README's table: one row per lane. */
export function resultsTable(results: readonly LaneResult[]): string {
    const rows = results.map((r) => {
        const n = (state: string) => String(r.states?.[state] ?? "—");
        const notHere = r.notRunnableHere ? (r.notRunnableReasons ?? []).join("; ") : "0";
        const specs = r.totalSpecs ?? "— (no report)";
        const times = `${minutes(r.upSeconds)} | ${minutes(r.suiteSeconds)}`;
        return `| \`${r.stack}\` | ${specs} | ${n("passed")} | ${n("failed")} | ${n("skipped")} | ${notHere} | ${times} | ${r.date} |`;
    });
    return [
        "| lane | specs | passed | failed | skipped | not runnable here | `up` (from destroyed) | suite | run on |",
        "|---|---|---|---|---|---|---|---|---|",
        ...rows,
    ].join("\n");
}

/** Records `results` by lane in {@link RESULTS_FILE} and writes the table of every lane recorded into README.md. */
function writeReadme(results: readonly LaneResult[]): void {
    const recorded = fs.existsSync(RESULTS_FILE)
        ? (JSON.parse(fs.readFileSync(RESULTS_FILE, "utf8")) as Record<string, LaneResult>)
        : {};
    for (const r of results) recorded[r.stack] = r;
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(recorded, null, 2)}\n`);
    const table = resultsTable(Object.keys(SUITES).flatMap((s) => (recorded[s] ? [recorded[s]] : [])));
    const file = path.join(PROJECT_ROOT, "README.md");
    const text = fs.readFileSync(file, "utf8");
    const begin = text.indexOf(README_BEGIN);
    const end = text.indexOf(README_END);
    if (begin < 0 || end < begin) throw new Error(`README.md has no ${README_BEGIN} … ${README_END} block`);
    fs.writeFileSync(file, `${text.slice(0, begin + README_BEGIN.length)}\n${table}\n${text.slice(end)}`);
}

export const run = command("test:lanes", {
    description: "run every lane's Kubernaut suite with npm run e2e, one lane after another, from destroyed stacks",
    positionals: [{ name: "stacks", description: "lanes to run (default: all)", required: false, variadic: true }],
    flags: {
        keep: { type: "boolean", description: "leave each stack up after its suite" },
        readme: { type: "boolean", description: "write the results table into README.md" },
        from: {
            type: "string",
            value: "FILE",
            description: "run nothing: record an earlier run's results.json (with --readme)",
        },
    },
    schema: z.object({
        _: z.array(z.string()),
        keep: z.boolean().optional(),
        readme: z.boolean().optional(),
        from: z.string().optional(),
    }),
    async run(values, io) {
        if (values.from) {
            const earlier = JSON.parse(fs.readFileSync(values.from, "utf8")) as LaneResult[];
            if (values.readme) writeReadme(earlier);
            io.out(resultsTable(earlier));
            return 0;
        }
        const stacks = values._.length ? values._ : Object.keys(SUITES);
        const unknown = stacks.filter((s) => !Object.hasOwn(SUITES, s));
        if (unknown.length)
            throw new Error(`no suite for ${unknown.join(", ")}; lanes: ${Object.keys(SUITES).join(", ")}`);
        const dir = path.join(PROJECT_ROOT, ".work", "lanes", new Date().toISOString().replace(/[:.]/g, "-"));
        fs.mkdirSync(dir, { recursive: true });
        const results: LaneResult[] = [];
        for (const stack of stacks) {
            io.log(`test:lanes: ${stack} (${results.length + 1} of ${stacks.length})`);
            results.push(await runLane(stack, values.keep === true, io.log));
            fs.writeFileSync(path.join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
        }
        const table = resultsTable(results);
        fs.writeFileSync(path.join(dir, "results.md"), `${table}\n`);
        if (values.readme) writeReadme(results);
        io.out(table);
        return results.every((r) => r.exitCode === 0) ? 0 : 1;
    },
});

if (isMain(import.meta.url)) await main("test:lanes", run);
