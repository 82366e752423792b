/**
 * `npm run doctor [-- <stack>]`: whether each prerequisite works on this machine, one line each, with what to do
 * about each that does not. Exits 1 when something a stack needs is missing; warnings (cgroup v1, little disk) do not.
 *
 *   ok    node         v20.20.2
 *   FAIL  kind         not on PATH (nor KUBERNAUT_E2E_KIND)
 *         → go install sigs.k8s.io/kind@v0.30.0, or build the offline toolchain: npm run setup
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { execa } from "execa";
import { z } from "zod";
import { command, isMain, main, type StepIO } from "../lib/command-line.js";
import { namespaceConfig, readStackConfigFile } from "../lib/config.js";
import { ENGINE_BIN_ENV, findOnPath, resolveEngine } from "../lib/engine.js";
import { pulumiEnv, resolvePulumiCli } from "../lib/pulumi-cli.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { toolchainEnv } from "../lib/toolchain/env.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { environmentOf, stackDefinition } from "../stacks/programs.js";
import { CONTAINERS_CONF_D, hostSettings, type HostFacts } from "../toolchain/prerequisites.js";

export type Verdict = "ok" | "warn" | "FAIL";

export interface Check {
    readonly name: string;
    readonly verdict: Verdict;
    readonly detail: string;
    /** What to do about it. */
    readonly fix?: string;
}

async function version(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
    const result = await execa(file, args, { env, reject: false, timeout: 20_000 });
    return result.exitCode === 0
        ? String(result.stdout || result.stderr)
              .trim()
              .split("\n")[0]
        : undefined;
}

function nodeCheck(): Check {
    const major = Number(process.versions.node.split(".")[0]);
    return major >= 20
        ? { name: "node", verdict: "ok", detail: `v${process.versions.node}` }
        : {
              name: "node",
              verdict: "FAIL",
              detail: `v${process.versions.node}`,
              fix: "install Node.js 20 (the Pulumi SDK this project pins needs 20)",
          };
}

async function engineChecks(env: NodeJS.ProcessEnv): Promise<Check[]> {
    let engine;
    try {
        engine = resolveEngine({ env });
    } catch (err) {
        return [
            {
                name: "engine",
                verdict: "FAIL",
                detail: (err as Error).message,
                fix: "install Docker or Podman (Debian: apt-get install podman)",
            },
        ];
    }
    const found = await version(engine.bin, ["--version"], env);
    if (!found)
        return [
            {
                name: "engine",
                verdict: "FAIL",
                detail: `${engine.bin} does not run`,
                fix: `check the install, or point ${ENGINE_BIN_ENV[engine.name]} at a working binary`,
            },
        ];
    const checks: Check[] = [{ name: "engine", verdict: "ok", detail: `${engine.name} (${engine.bin}): ${found}` }];
    // kind's nodes are privileged containers: try one, from an image already here (nothing is pulled).
    const images = await execa(engine.bin, ["images", "--format", "{{.Repository}}:{{.Tag}}"], {
        env,
        reject: false,
        timeout: 20_000,
    });
    const image = String(images.stdout)
        .split("\n")
        .find((i) => i && !i.includes("<none>"));
    if (!image) {
        checks.push({
            name: "privileged",
            verdict: "warn",
            detail: "no local image to try a privileged container with",
            fix: `try: ${engine.bin} run --rm --privileged <image> true`,
        });
    } else {
        const run = await execa(engine.bin, ["run", "--rm", "--privileged", "--entrypoint", "", image, "true"], {
            env,
            reject: false,
            timeout: 60_000,
        });
        const why =
            String(run.stderr)
                .trim()
                .split("\n")
                .find((l) => l.trim() && !/--help/.test(l)) ?? `exit ${run.exitCode}`;
        checks.push(
            run.exitCode === 0 || /executable file not found|no such file/i.test(why)
                ? { name: "privileged", verdict: "ok", detail: `${engine.name} runs privileged containers` }
                : {
                      name: "privileged",
                      verdict: "FAIL",
                      detail: why,
                      fix:
                          engine.name === "docker"
                              ? "kind's nodes cannot run here: use Podman (KIND_EXPERIMENTAL_PROVIDER=podman)"
                              : "check Podman's ulimits (containers.conf default_ulimits) and cgroup delegation",
                  },
        );
    }
    return checks;
}

async function kindCheck(env: NodeJS.ProcessEnv): Promise<Check> {
    const bin = env.KUBERNAUT_E2E_KIND ?? findOnPath("kind", env);
    const found = bin && (await version(bin, ["version"], env));
    return found
        ? { name: "kind", verdict: "ok", detail: `${bin}: ${found}` }
        : {
              name: "kind",
              verdict: "FAIL",
              detail: bin ? `${bin} does not run` : "not on PATH (nor KUBERNAUT_E2E_KIND)",
              fix: "go install sigs.k8s.io/kind@v0.30.0, or build the offline toolchain: npm run setup",
          };
}

async function kubectlCheck(env: NodeJS.ProcessEnv): Promise<Check> {
    const bin = env.KUBERNAUT_E2E_KUBECTL ?? findOnPath("kubectl", env);
    const found = bin && (await version(bin, ["version", "--client"], env));
    return found
        ? { name: "kubectl", verdict: "ok", detail: `${bin}: ${found}` }
        : {
              name: "kubectl",
              verdict: "FAIL",
              detail: bin
                  ? `${bin} does not run`
                  : "not on PATH (nor KUBERNAUT_E2E_KUBECTL): the status patches and failure diagnosis run it",
              fix: "install kubectl, or build the offline toolchain (its bin/ has one)",
          };
}

async function pulumiChecks(env: NodeJS.ProcessEnv): Promise<Check[]> {
    let cli;
    try {
        cli = await resolvePulumiCli(env);
    } catch (err) {
        // The resolver's message: what was tried (indented lines), then what to install.
        const lines = (err as Error).message.split("\n").slice(1);
        const tried = lines.filter((l) => /^\s+- /.test(l)).map((l) => l.replace(/^\s+- /, ""));
        const todo = lines
            .filter((l) => !/^\s+- /.test(l))
            .map((l) => l.trim())
            .join(" ");
        return [
            { name: "pulumi", verdict: "FAIL", detail: `no Pulumi CLI runs (tried: ${tried.join("; ")})`, fix: todo },
        ];
    }
    const checks: Check[] = [{ name: "pulumi", verdict: "ok", detail: `${cli.version} from ${cli.source}` }];
    const plugins = await execa(cli.bin, ["plugin", "ls", "--json"], {
        env: { ...env, ...cli.env, ...pulumiEnv("plugin", env) },
        reject: false,
        timeout: 60_000,
    });
    const installed =
        plugins.exitCode === 0
            ? (JSON.parse(String(plugins.stdout) || "[]") as { name: string; version: string; kind: string }[])
            : [];
    const wanted = (
        JSON.parse(fs.readFileSync(`${PROJECT_ROOT}/node_modules/@pulumi/kubernetes/package.json`, "utf8")) as {
            version: string;
        }
    ).version;
    const has = installed.some((p) => p.kind === "resource" && p.name === "kubernetes" && p.version === wanted);
    const offline =
        (cli.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION ?? env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION) ===
        "true";
    checks.push(
        has
            ? { name: "plugins", verdict: "ok", detail: `resource kubernetes ${wanted} installed` }
            : {
                  name: "plugins",
                  verdict: offline ? "FAIL" : "warn",
                  detail: `resource kubernetes ${wanted} is not installed${offline ? " and downloads are off" : "; the CLI downloads it on first use"}`,
                  fix: "without network access: npm run setup",
              },
    );
    return checks;
}

function cgroupCheck(root = "/sys/fs/cgroup"): Check {
    return fs.existsSync(`${root}/cgroup.controllers`)
        ? { name: "cgroups", verdict: "ok", detail: "v2" }
        : {
              name: "cgroups",
              verdict: "warn",
              detail: "v1: Kubernetes 1.35 and later refuse it by default",
              fix: "use a node image of Kubernetes 1.34 (the offline toolchain's), or set failCgroupV1: false in the kubelet config",
          };
}

function kernelModulesCheck(): Check {
    return fs.existsSync("/lib/modules")
        ? { name: "modules", verdict: "ok", detail: "/lib/modules exists (kind binds it into its nodes)" }
        : {
              name: "modules",
              verdict: "FAIL",
              detail: "/lib/modules is missing; kind binds it into its nodes",
              fix: "mkdir -p /lib/modules",
          };
}

function diskCheck(dir = PROJECT_ROOT, wantGiB = 20): Check {
    const stats = fs.statfsSync(dir);
    const free = (stats.bavail * stats.bsize) / 2 ** 30;
    const detail = `${free.toFixed(1)} GiB free under ${dir}`;
    return free >= wantGiB
        ? { name: "disk", verdict: "ok", detail }
        : {
              name: "disk",
              verdict: "warn",
              detail,
              fix: `a lane's images and node need several GiB; free ${wantGiB} GiB or more`,
          };
}

/** Whether something already listens on 127.0.0.1:`port`. */
function portTaken(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(true));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
    });
}

async function portsCheck(stack: string): Promise<Check> {
    const config = namespaceConfig(readStackConfigFile(stack));
    const definition = stackDefinition(environmentOf(stack, config));
    if (!definition)
        return {
            name: "ports",
            verdict: "FAIL",
            detail: `no stack program for \`${stack}\``,
            fix: "name one of the README's stacks",
        };
    const ports = definition.hostPorts(config);
    const taken: string[] = [];
    for (const [key, port] of Object.entries(ports))
        if (await portTaken(port)) taken.push(`${port} (\`kubernaut-e2e:${key}\`)`);
    return taken.length
        ? {
              name: "ports",
              verdict: "FAIL",
              detail: `${stack}: in use: ${taken.join(", ")}`,
              fix: `stop what listens there (its own cluster, if up, is fine), or set other ports in Pulumi.${stack}.yaml`,
          }
        : { name: "ports", verdict: "ok", detail: `${stack}: ${Object.keys(ports).length} host ports free` };
}

/** This machine. The open-files limit is not read: `setup` checks it, and a Podman that hits it fails `privileged`. */
const REAL_HOST: HostFacts = {
    cgroupRoot: "/sys/fs/cgroup",
    hardNofile: Number.MAX_SAFE_INTEGER,
    modulesDir: "/lib/modules",
    confDir: CONTAINERS_CONF_D,
};

/** Host settings kind nodes need under Podman here (what `npm run setup` applies). */
function hostChecks(facts: HostFacts): Check[] {
    return hostSettings(facts)
        .filter((s) => s.name !== "kernel modules directory" && s.needed)
        .map((s) => ({
            name: "podman",
            verdict: "FAIL",
            detail: `${s.name}: ${s.needed}`,
            fix: `npm run setup (as root) writes ${s.path}`,
        }));
}

/**
 * Every check, in the environment `npm run up` would use: the offline toolchain's (its kind, kubectl and CLI) when it
 * is built, else the user's.
 */
export async function diagnose(
    stack: string | undefined,
    userEnv: NodeJS.ProcessEnv,
    host: HostFacts = REAL_HOST,
): Promise<Check[]> {
    const layout = toolchainLayout(userEnv);
    const env = fs.existsSync(path.join(layout.binDir, "pulumi"))
        ? { ...userEnv, ...toolchainEnv(layout, userEnv) }
        : userEnv;
    return [
        ...hostChecks(host),
        nodeCheck(),
        ...(await engineChecks(env)),
        await kindCheck(env),
        await kubectlCheck(env),
        ...(await pulumiChecks(env)),
        cgroupCheck(),
        kernelModulesCheck(),
        diskCheck(),
        ...(stack ? [await portsCheck(stack)] : []),
    ];
}

export function report(checks: readonly Check[]): string {
    return checks
        .map(
            (c) =>
                `${c.verdict.padEnd(5)} ${c.name.padEnd(11)} ${c.detail}${c.fix && c.verdict !== "ok" ? `\n${" ".repeat(18)}→ ${c.fix}` : ""}`,
        )
        .join("\n");
}

export const run = command("doctor", {
    description:
        "check, line by line, that this machine has what the stacks need (engine, kind, Pulumi CLI and plugins, host ports, cgroups, disk)",
    positionals: [{ name: "stack", description: "also check this stack's host ports are free", required: false }],
    schema: z.object({ _: z.array(z.string()).max(1) }),
    async run(values, io: StepIO) {
        const checks = await diagnose(values._[0], io.env);
        io.out(report(checks));
        return checks.some((c) => c.verdict === "FAIL") ? 1 : 0;
    },
});

if (isMain(import.meta.url)) await main("doctor", run);
