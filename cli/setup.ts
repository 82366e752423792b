/**
 * `npm run setup [-- --kubernaut <repository>] [--check]`: from a fresh Debian machine to one that brings stacks up
 * offline, in one command. It says every change before it makes it:
 *
 * 1. installs the Debian packages the toolchain and the tests need (`apt-get install`, as root; otherwise it lists
 *    them and stops);
 * 2. applies the host settings kind nodes need under Podman here (`toolchain/prerequisites.ts`), and starts Docker's
 *    daemon when it does not answer (the tests build with it; these machines have no init system to start it);
 * 3. builds the offline toolchain, Kubernaut's pinned tree and its image stand-ins included when a Kubernaut Git
 *    repository is at hand (`--kubernaut`, `KUBERNAUT_SOURCE`, `KUBERNAUT_ROOT` or `../kubernaut`), with progress.
 *
 * `--check` changes nothing: it reports what is missing and exits 1 when anything is. `--skip-build` stops after the
 * packages and settings (what `.ci/run` needs to run the tests).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { command, isMain, main, type StepIO } from "../lib/command-line.js";
import { findOnPath } from "../lib/engine.js";
import { runTool } from "../lib/run-tool.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { PINS } from "../lib/toolchain/pins.js";
import type { ToolchainAction, ToolchainContext } from "../toolchain/action.js";
import { kubernautSourceRepository } from "../toolchain/actions/kubernaut-source.js";
import {
    CONTAINERS_CONF_D,
    GO_HINT,
    hostSettings,
    missingPrerequisites,
    type HostSetting,
    type Prerequisite,
} from "../toolchain/prerequisites.js";
import { NO_PROGRESS, stderrSink } from "../toolchain/progress.js";
import { ACTIONS, buildToolchain } from "../toolchain/toolchain.js";

/** The actions that need Kubernaut's tree, directly or through another. */
export function kubernautDependents(actions: readonly ToolchainAction[] = ACTIONS): Set<string> {
    const dependents = new Set(["kubernaut-source"]);
    for (let grew = true; grew;) {
        grew = false;
        for (const action of actions) {
            if (!dependents.has(action.name) && (action.needs ?? []).some((n) => dependents.has(n))) {
                dependents.add(action.name);
                grew = true;
            }
        }
    }
    return dependents;
}

/** Whether `repository` names a Git repository on this machine (a URL is taken as one: `git clone` will say). */
function isRepository(repository: string): boolean {
    if (/^[a-z]+:\/\//.test(repository)) return true;
    return fs.existsSync(repository) && (fs.existsSync(`${repository}/.git`) || fs.existsSync(`${repository}/HEAD`));
}

async function installPackages(missing: readonly Prerequisite[], check: boolean, io: StepIO): Promise<boolean> {
    if (!missing.length) return true;
    const packages = [...new Set(missing.map((p) => p.debian))];
    const line = `apt-get install -y ${packages.join(" ")}`;
    io.log(`setup: missing ${missing.map((p) => `${p.program} (${p.debian}, for the ${p.for})`).join(", ")}`);
    if (check) return false;
    if (os.userInfo().uid !== 0 || !findOnPath("apt-get", io.env)) {
        io.log(`setup: run as root, or install them yourself: ${line}`);
        return false;
    }
    io.log(`setup: ${line}`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await runTool("apt-get", ["update", "-qq"], { doing: "update Debian's package lists", env });
    await runTool("apt-get", ["install", "-y", "-qq", ...packages], { doing: `install ${packages.join(" ")}`, env });
    return true;
}

/** Where setup's `dockerd` writes its log. */
export const DOCKERD_LOG = "/var/log/kubernaut-e2e-dockerd.log";

/**
 * Starts `dockerd` in the background when `docker info` fails and the daemon is installed (these machines have no
 * init system to start it); true when Docker answers or is not installed. `check` only says so.
 */
export async function startDockerd(
    io: StepIO,
    { check, logFile = DOCKERD_LOG, waitSeconds = 60 }: { check: boolean; logFile?: string; waitSeconds?: number },
): Promise<boolean> {
    const answers = () =>
        runTool("docker", ["info"], { doing: "ask Docker", env: io.env, allowFailure: true, timeoutSeconds: 20 }).then(
            (result) => result.exitCode === 0,
            () => false,
        );
    if (!findOnPath("docker", io.env) || !findOnPath("dockerd", io.env) || (await answers())) return true;
    io.log(`setup: Docker's daemon does not answer${check ? "" : `; starting dockerd (log: ${logFile})`}`);
    if (check) return false;
    const log = fs.openSync(logFile, "a");
    spawn("dockerd", [], { detached: true, env: io.env, stdio: ["ignore", log, log] }).unref();
    fs.closeSync(log);
    for (let second = 0; second < waitSeconds; second++) {
        if (await answers()) return true;
        await sleep(1000);
    }
    io.log(`setup: dockerd did not answer within ${waitSeconds} s; see ${logFile}`);
    return false;
}

async function hardNofile(): Promise<number> {
    const result = await runTool("sh", ["-c", "ulimit -Hn"], { doing: "read the open-files limit" });
    return result.stdout.trim() === "unlimited" ? Number.MAX_SAFE_INTEGER : Number.parseInt(result.stdout, 10);
}

function applySettings(settings: readonly HostSetting[], check: boolean, io: StepIO): boolean {
    const needed = settings.filter((s) => s.needed);
    for (const setting of needed) {
        io.log(`setup: ${setting.name}: ${setting.needed}${check ? "" : `; writing ${setting.path}`}`);
        if (!check) setting.apply();
    }
    return !check || needed.length === 0;
}

async function setup(
    values: { kubernaut?: string; check?: boolean; "skip-build"?: boolean },
    io: StepIO,
): Promise<number> {
    const check = values.check ?? false;
    const env = values.kubernaut ? { ...io.env, KUBERNAUT_SOURCE: values.kubernaut } : io.env;
    const missing = missingPrerequisites(env, ["toolchain", "tests"]);
    const packagesOk = await installPackages(missing, check, { ...io, env });
    if (!packagesOk && !check) return 1;
    const facts = {
        cgroupRoot: "/sys/fs/cgroup",
        hardNofile: await hardNofile(),
        modulesDir: "/lib/modules",
        confDir: CONTAINERS_CONF_D,
    };
    const settingsOk = applySettings(hostSettings(facts), check, io) && (await startDockerd(io, { check }));

    const { repository, from } = kubernautSourceRepository(env);
    const withKubernaut = isRepository(repository);
    const skipped = withKubernaut ? new Set<string>() : kubernautDependents();
    if (!withKubernaut) {
        io.log(
            `setup: no Kubernaut repository at ${repository} (${from}): building without Kubernaut's tree and stand-ins (${[...skipped].join(", ")});`,
        );
        io.log(
            "setup:   smoke-e2e works without them; for the Kubernaut lanes run `npm run setup -- --kubernaut <repository>`",
        );
    }
    const layout = toolchainLayout(env);
    if (values["skip-build"]) return packagesOk && settingsOk ? 0 : 1;
    if (!findOnPath("go", env)) {
        io.log(`setup: no \`go\` on PATH: install ${GO_HINT}`);
        return 1;
    }
    if (check) {
        io.log(`setup: would build the toolchain into ${layout.setDir} (what is missing: npm run toolchain -- status)`);
        return packagesOk && settingsOk ? 0 : 1;
    }
    const ctx: ToolchainContext = {
        layout,
        pins: PINS,
        log: io.log,
        progress: NO_PROGRESS,
        podman: env.KUBERNAUT_E2E_PODMAN ?? "podman",
        env,
    };
    io.log(`setup: building the offline toolchain into ${layout.setDir}`);
    const only = ACTIONS.filter((a) => !skipped.has(a.name)).map((a) => a.name);
    const report = await buildToolchain(ctx, { only, sink: stderrSink() });
    const built = report.built.map((b) => `${b.name} ${b.seconds} s`).join(", ");
    io.log(
        `setup: done${built ? `; built ${built}` : "; everything was built already"}. Next: npm run up -- ${withKubernaut ? "signalprocessing-e2e" : "smoke-e2e"} --yes`,
    );
    return 0;
}

export const run = command("setup", {
    description:
        "install what this Debian machine lacks, set Podman up for kind, and build the offline toolchain (as root)",
    flags: {
        kubernaut: {
            type: "string",
            value: "REPOSITORY",
            description:
                "a Kubernaut Git repository (path or URL) holding the pinned commit (default: KUBERNAUT_SOURCE, KUBERNAUT_ROOT, ../kubernaut)",
        },
        check: { type: "boolean", description: "change nothing: say what is missing, exit 1 when anything is" },
        "skip-build": {
            type: "boolean",
            description: "install the packages and apply the settings, but build no toolchain",
        },
    },
    schema: z.object({
        _: z.array(z.string()).max(0, "takes no positional arguments"),
        kubernaut: z.string().min(1).optional(),
        check: z.boolean().optional(),
        "skip-build": z.boolean().optional(),
    }),
    run: (values, io) => setup(values, io),
});

if (isMain(import.meta.url)) await main("setup", run);
