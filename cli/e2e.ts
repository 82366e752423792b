/**
 * `npm run e2e -- <stack> [--no-up] [--destroy] [--compile-only] [-- ginkgo flags]`: Kubernaut's own Ginkgo suite of
 * the stack's lane, against the stack. One command from nothing to a suite result: the suite is compiled (once per
 * source digest) while the stack comes up, the stack's outputs file is written, the suite runs through the hand-off
 * contract (docs/suite-handoff.md) in a copy of the checkout, and its reports land in `.work/<stack>/reports/<time>/`
 * with, when a spec fails, what a must-gather would have collected. The stack stays unless `--destroy`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { command, isMain, main, seconds, UsageError, type StepIO } from "../lib/command-line.js";
import { KUBECTL_BIN_ENV } from "../lib/executables.js";
import { toolchainEnv } from "../lib/toolchain/env.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { compileSuite, suiteInputs } from "../tools/handoff/build.js";
import { mustGather } from "../tools/handoff/gather.js";
import { removeLeftovers } from "../tools/handoff/leftovers.js";
import { ginkgoArgs } from "../tools/handoff/ginkgo.js";
import { readSuiteReport, runFailed, stateCounts, summaryLines } from "../tools/handoff/report.js";
import { resolveSuiteTarget, type SuiteTarget } from "../tools/handoff/target.js";
import { saveOutputs } from "./outputs.js";
import { runPulumi } from "./pulumi.js";

const UP_FLAGS = ["--yes", "--skip-preview"];

interface Outputs {
    readonly kubeconfigPath?: string;
    readonly namespace?: string;
    readonly [key: string]: unknown;
}

/** The suite's environment: the hand-off (the outputs file), the cluster kept, the lane's own variables. */
function suiteEnv(
    target: SuiteTarget,
    outputsFile: string,
    outputs: Outputs,
    env: NodeJS.ProcessEnv,
): Record<string, string> {
    const fromOutputs = Object.entries(target.suite.env ?? {}).map(([name, value]): [string, string] => {
        if (typeof value === "string") return [name, value];
        const raw = outputs[value.output];
        if (typeof raw !== "string")
            throw new Error(`stack \`${target.stack}\` has no output \`${value.output}\` (the suite reads ${name})`);
        return [name, value.suffix && raw.endsWith(value.suffix) ? raw.slice(0, -value.suffix.length) : raw];
    });
    const layout = toolchainLayout(env);
    return {
        ...(fs.existsSync(layout.binDir) ? toolchainEnv(layout, env) : {}),
        KUBERNAUT_E2E_OUTPUTS: outputsFile,
        KUBECONFIG: String(outputs.kubeconfigPath),
        // Suites that honour it skip their teardown (which would delete the stack's cluster); the hand-offs do too.
        KEEP_CLUSTER: "true",
        E2E_COVERAGE: "false",
        ...Object.fromEntries(fromOutputs),
    };
}

interface E2eOptions {
    readonly up: boolean;
    readonly destroy: boolean;
    readonly compileOnly: boolean;
    readonly ginkgoFlags: readonly string[];
}

async function e2e(target: SuiteTarget, options: E2eOptions, io: StepIO): Promise<number> {
    const { stack, suite, scope } = target;
    const log = (line: string) => io.log(line);
    io.log(`e2e: ${stack}: ${suite.dir} from ${target.kubernautRoot} (${target.kubernautFrom.replace(/`/g, "")})`);
    let upSeconds: number | undefined;
    const up = async () => {
        if (!options.up || options.compileOnly) return 0;
        const started = performance.now();
        const code = await runPulumi("up", stack, UP_FLAGS, io);
        upSeconds = seconds(started);
        io.log(`e2e: up ${code === 0 ? "done" : "failed"} in ${upSeconds} s`);
        return code;
    };
    // The compile needs only the checkout, the stack only its config: both at once.
    const [compiling, upping] = await Promise.allSettled([
        compileSuite(target.kubernautRoot, suiteInputs(suite), { workDir: scope.workDir, goEnv: target.goEnv, log }),
        up(),
    ]);
    if (compiling.status === "rejected") throw compiling.reason;
    if (upping.status === "rejected") throw upping.reason;
    const [compiled, upCode] = [compiling.value, upping.value];
    if (compiled.reused) io.log(`e2e: the suite is compiled already (digest ${compiled.digest})`);
    if (options.compileOnly) {
        io.out(compiled.binary);
        return 0;
    }
    if (upCode !== 0) return upCode;
    const outputsFile = await saveOutputs(stack, io.env);
    const outputs = JSON.parse(fs.readFileSync(outputsFile, "utf8")) as Outputs;
    if (typeof outputs.kubeconfigPath !== "string" || !fs.existsSync(outputs.kubeconfigPath))
        throw new Error(`stack \`${stack}\` is not up (no kubeconfig in its outputs): run without --no-up`);
    const kubectl = io.env[KUBECTL_BIN_ENV] ?? path.join(toolchainLayout(io.env).binDir, "kubectl");
    const cluster = { kubectl, kubeconfig: outputs.kubeconfigPath, namespace: String(outputs.namespace) };
    if (suite.leftovers?.length) await removeLeftovers(suite.leftovers, { ...cluster, log });
    const reportDir = path.join(scope.reportsDir, new Date().toISOString().replace(/[:.]/g, "-"));
    fs.mkdirSync(reportDir, { recursive: true });
    const args = ginkgoArgs({
        binary: compiled.binary,
        reportDir,
        userFlags: options.ginkgoFlags,
        notRunnableHere: suite.notRunnableHere ?? [],
    });
    io.log(`e2e: ginkgo ${args.join(" ")}`);
    const started = performance.now();
    const run = await execa(target.ginkgo, args, {
        cwd: compiled.packageDir,
        env: suiteEnv(target, outputsFile, outputs, io.env),
        stdio: "inherit",
        reject: false,
    });
    const suiteSeconds = seconds(started);
    const reportFile = path.join(reportDir, "ginkgo.json");
    if (!fs.existsSync(reportFile))
        throw new Error(`ginkgo exited with ${run.exitCode ?? "a signal"} and wrote no report (${reportFile})`);
    const outcome = readSuiteReport(reportFile, suite.notRunnableHere);
    const failed = runFailed(outcome) || run.exitCode !== 0;
    const summary = [`e2e: ${stack}: ${failed ? "FAILED" : "passed"} in ${suiteSeconds} s`, ...summaryLines(outcome)];
    if (failed) {
        const gathered = await mustGather(
            [...outcome.suiteNodes, ...outcome.specs].filter((s) => s.failed),
            { ...cluster, dir: reportDir },
        );
        summary.push(`  must-gather: ${gathered}`);
    }
    summary.push(`  reports: ${reportDir}`);
    for (const line of summary) io.log(line);
    fs.writeFileSync(path.join(reportDir, "summary.txt"), `${summary.join("\n")}\n`);
    const result = {
        stack,
        lane: suite.stack,
        totalSpecs: outcome.totalSpecs,
        states: Object.fromEntries(stateCounts(outcome.specs)),
        notRunnableHere: outcome.specs.filter((s) => s.notRunnable).length,
        failed,
        upSeconds,
        compiledNow: !compiled.reused,
        suiteSeconds,
    };
    fs.writeFileSync(path.join(reportDir, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
    if (options.destroy) {
        const code = await runPulumi("destroy", stack, UP_FLAGS, io);
        if (code !== 0) return code;
    }
    return failed ? 1 : 0;
}

export const run = command("e2e", {
    description:
        "bring the stack up and run its lane's Kubernaut Ginkgo suite against it; arguments after a second -- go to " +
        "ginkgo (npm run e2e -- <stack> -- --focus=X --procs=1 -v; --ginkgo.focus=X works too)",
    positionals: [
        { name: "stack", description: "stack name, e.g. signalprocessing-e2e" },
        { name: "ginkgo-flags", description: "Ginkgo flags", required: false, variadic: true },
    ],
    flags: {
        "no-up": { type: "boolean", description: "run against the stack as it is (it must be up)" },
        destroy: { type: "boolean", description: "destroy the stack after the suite" },
        "compile-only": { type: "boolean", description: "compile the suite, print its path and stop" },
    },
    schema: z.object({
        _: z.array(z.string()).min(1),
        "no-up": z.boolean().optional(),
        destroy: z.boolean().optional(),
        "compile-only": z.boolean().optional(),
    }),
    async run(values, io) {
        const [stack, ...ginkgoFlags] = values._;
        if (values["compile-only"] && (values.destroy || values["no-up"]))
            throw new UsageError("e2e: --compile-only runs no stack: it takes neither --no-up nor --destroy");
        // The flags are checked before anything is built.
        ginkgoArgs({ binary: "", reportDir: "", userFlags: ginkgoFlags, notRunnableHere: [] });
        const target = resolveSuiteTarget(stack, io.env);
        return e2e(
            target,
            {
                up: !values["no-up"],
                destroy: values.destroy === true,
                compileOnly: values["compile-only"] === true,
                ginkgoFlags,
            },
            io,
        );
    },
});

if (isMain(import.meta.url)) await main("e2e", run);
