/**
 * `npm run coverage -- <stack>`: the E2E coverage of a stack's instrumented services (Kubernaut's DD-TEST-007). For
 * each Deployment that runs with `GOCOVERDIR` in the stack's namespace: scale it to zero, so the Go runtime of each
 * Pod flushes its counters into the node's coverage mount on its way out (the mount is the stack's
 * `.work/<stack>/coverdata`), then restore its replicas and wait for it, so the environment stays usable. Then
 * `go tool covdata` reports per-package percentages and writes `.work/<stack>/coverage/coverage.out` (textfmt, for
 * `go tool cover -html`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { command, isMain, main, type StepIO } from "../lib/command-line.js";
import { namespaceConfig, readStackConfigFile } from "../lib/config.js";
import { runTool } from "../lib/run-tool.js";
import { KUBECTL_BIN_ENV } from "../lib/executables.js";
import { LANES } from "../stacks/lanes.js";
import { scopeOfStack } from "../stacks/programs.js";

export interface PackageCoverage {
    readonly pkg: string;
    readonly percent: number;
}

/** `go tool covdata percent` of `dir`, by package; `textfmt` into `out` when given. */
export async function coverageReport(dir: string, out?: string, go = "go"): Promise<PackageCoverage[]> {
    const percent = await runTool(go, ["tool", "covdata", "percent", "-i", dir], {
        doing: "report coverage with go tool covdata",
    });
    if (out) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        await runTool(go, ["tool", "covdata", "textfmt", "-i", dir, "-o", out], {
            doing: "write the coverage profile",
        });
    }
    // Lines like: "	example.com/mono/internal/sp		coverage: 75.0% of statements"
    return percent.stdout.split("\n").flatMap((line) => {
        const match = /^\s*(\S+)\s+coverage:\s+([\d.]+)% of statements/.exec(line);
        return match ? [{ pkg: match[1], percent: Number(match[2]) }] : [];
    });
}

interface DeploymentList {
    items: {
        metadata: { name: string };
        spec: { replicas?: number; template: { spec: { containers: { env?: { name: string }[] }[] } } };
    }[];
}

async function flushAndRestore(
    kubectl: (args: string[]) => Promise<string>,
    namespace: string,
    io: StepIO,
): Promise<string[]> {
    const list = JSON.parse(await kubectl(["-n", namespace, "get", "deployments", "-o", "json"])) as DeploymentList;
    const instrumented = list.items.filter((d) =>
        d.spec.template.spec.containers.some((c) => (c.env ?? []).some((e) => e.name === "GOCOVERDIR")),
    );
    for (const deployment of instrumented) {
        const name = deployment.metadata.name;
        const replicas = deployment.spec.replicas ?? 1;
        io.log(`coverage: stopping ${namespace}/${name} so it writes its counters`);
        await kubectl(["-n", namespace, "scale", `deployment/${name}`, "--replicas=0"]);
        await kubectl(["-n", namespace, "wait", "--for=delete", "pod", "-l", `app=${name}`, "--timeout=120s"]);
        io.log(`coverage: restoring ${namespace}/${name} to ${replicas} replica(s)`);
        await kubectl(["-n", namespace, "scale", `deployment/${name}`, `--replicas=${replicas}`]);
        await kubectl(["-n", namespace, "rollout", "status", `deployment/${name}`, "--timeout=300s"]);
    }
    return instrumented.map((d) => d.metadata.name);
}

export function coverageTable(rows: readonly PackageCoverage[]): string {
    const width = Math.max(7, ...rows.map((r) => r.pkg.length));
    return [
        `${"package".padEnd(width)}  coverage`,
        ...rows.map((r) => `${r.pkg.padEnd(width)}  ${r.percent.toFixed(1).padStart(6)}%`),
    ].join("\n");
}

export const run = command("coverage", {
    description:
        "stop each instrumented Deployment of a stack so it writes its coverage, restore it, and report per-package coverage",
    positionals: [{ name: "stack", description: "stack name" }],
    flags: { json: { type: "boolean", description: "print the packages as JSON" } },
    schema: z.object({ _: z.tuple([z.string()]), json: z.boolean().optional() }),
    async run(values, io) {
        const [stack] = values._;
        const config = namespaceConfig(readStackConfigFile(stack));
        const scope = scopeOfStack(stack, config);
        const environment = typeof config.environment === "string" ? config.environment : stack;
        const namespace = Object.hasOwn(LANES, environment)
            ? LANES[environment as keyof typeof LANES].namespace
            : "smoke";
        const kubectlBin = io.env[KUBECTL_BIN_ENV] ?? "kubectl";
        const kubectl = async (args: string[]) =>
            (
                await runTool(kubectlBin, ["--kubeconfig", scope.kubeconfigPath, ...args], {
                    doing: `run kubectl ${args.slice(2, 4).join(" ")}`,
                })
            ).stdout;
        const services = await flushAndRestore(kubectl, namespace, io);
        if (!services.length) {
            io.log(
                `coverage: no Deployment in ${namespace} runs with GOCOVERDIR; set \`kubernaut-e2e:coverage\` to true and run up`,
            );
            return 1;
        }
        if (!fs.existsSync(scope.coverageDir) || !fs.readdirSync(scope.coverageDir).length) {
            io.log(
                `coverage: ${scope.coverageDir} is empty: the services wrote no counters (were their images built with coverage?)`,
            );
            return 1;
        }
        const out = path.join(scope.workDir, "coverage", "coverage.out");
        const rows = await coverageReport(scope.coverageDir, out, io.env.KUBERNAUT_E2E_GO ?? "go");
        io.log(`coverage: ${services.join(", ")}; profile in ${out}`);
        io.out(values.json ? JSON.stringify({ services, profile: out, packages: rows }) : coverageTable(rows));
        return 0;
    },
});

if (isMain(import.meta.url)) await main("coverage", run);
