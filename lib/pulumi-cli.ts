/**
 * Which Pulumi CLI this project's commands drive, and how. The offline toolchain's CLI comes first when it is built
 * (with the toolchain's environment: its plugins, no network), then a `pulumi` on the user's PATH — never one in a
 * `node_modules/.bin`, where `npm run` puts the `pulumi` npm package's downloader ahead of everything — and last that
 * package itself (which downloads the CLI on first use). When none runs, the error says what was tried and what to do.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { findOnPath } from "./engine.js";
import { PROJECT_ROOT } from "./stack-scope.js";
import { toolchainEnv, withoutNpmDirs } from "./toolchain/env.js";
import { toolchainLayout } from "./toolchain/layout.js";

export type PulumiCliSource = "the offline toolchain" | "PATH" | "the pulumi npm package";

export interface PulumiCli {
    readonly bin: string;
    readonly source: PulumiCliSource;
    /** What `pulumi version` printed. */
    readonly version: string;
    /** Variables every run of this CLI needs on top of the user's environment (the toolchain's). @default {} */
    readonly env: Readonly<Record<string, string>>;
}

async function versionOf(bin: string, env: NodeJS.ProcessEnv): Promise<{ version?: string; problem?: string }> {
    const result = await execa(bin, ["version"], {
        env: { PULUMI_SKIP_UPDATE_CHECK: "true", ...env },
        reject: false,
        timeout: 120_000,
    });
    if (result.exitCode === 0) return { version: String(result.stdout).trim().split("\n")[0] };
    return {
        problem: String(result.stderr || result.stdout || result.shortMessage)
            .trim()
            .split("\n")
            .slice(-1)[0],
    };
}

/** The CLI to use; throws an error listing each attempt and how to get a CLI when none works. */
export async function resolvePulumiCli(
    env: NodeJS.ProcessEnv = process.env,
    projectRoot: string = PROJECT_ROOT,
): Promise<PulumiCli> {
    const attempts: string[] = [];
    const layout = toolchainLayout(env);
    const built = path.join(layout.binDir, "pulumi");
    if (fs.existsSync(built)) {
        const extra = toolchainEnv(layout, env);
        const { version, problem } = await versionOf(built, { ...env, ...extra });
        if (version) return { bin: built, source: "the offline toolchain", version, env: extra };
        attempts.push(`${built} (the offline toolchain): ${problem}`);
    } else {
        attempts.push(`no offline toolchain in ${layout.setDir}`);
    }
    const onPath = findOnPath("pulumi", { ...env, PATH: withoutNpmDirs(env.PATH ?? "") });
    if (onPath) {
        const { version, problem } = await versionOf(onPath, env);
        if (version) return { bin: onPath, source: "PATH", version, env: {} };
        attempts.push(`${onPath} (on PATH): ${problem}`);
    } else {
        attempts.push("no `pulumi` on PATH (outside node_modules/.bin)");
    }
    const npmBin = path.join(projectRoot, "node_modules", ".bin", "pulumi");
    if (fs.existsSync(npmBin)) {
        const { version, problem } = await versionOf(npmBin, env);
        if (version) return { bin: npmBin, source: "the pulumi npm package", version, env: {} };
        attempts.push(`${npmBin} (the pulumi npm package, which downloads the CLI): ${problem}`);
    } else {
        attempts.push(`no ${npmBin} (run \`npm install\`)`);
    }
    throw new Error(
        [
            "no Pulumi CLI could be run; tried:",
            ...attempts.map((a) => `  - ${a}`),
            "install it (https://www.pulumi.com/docs/iac/download-install/), or, without internet access, build the offline toolchain:",
            "  npm run setup",
        ].join("\n"),
    );
}

/**
 * The environment of a Pulumi command: an empty passphrase unless the user chose one (a passphrase or a passphrase
 * file), and, for destroy, dropping objects of a kind cluster that is already gone.
 */
export function pulumiEnv(verb: string, env: NodeJS.ProcessEnv): Record<string, string> {
    const run: Record<string, string> = {};
    if (env.PULUMI_CONFIG_PASSPHRASE === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined)
        run.PULUMI_CONFIG_PASSPHRASE = "";
    if (verb === "destroy") run.PULUMI_K8S_DELETE_UNREACHABLE = env.PULUMI_K8S_DELETE_UNREACHABLE ?? "true";
    return run;
}

/**
 * Creates the directory of a `file://` backend named in `Pulumi.yaml` (relative to the project), which the CLI
 * refuses to open when it does not exist. Returns it, or undefined for other backends.
 */
export function ensureFileBackend(projectRoot: string = PROJECT_ROOT): string | undefined {
    const project = parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as {
        backend?: { url?: string };
    };
    const url = project.backend?.url;
    if (!url?.startsWith("file://")) return undefined;
    const dir = path.resolve(projectRoot, url.slice("file://".length).replace(/\?.*$/, ""));
    fs.mkdirSync(dir, { recursive: true });
    return dir;
}

/**
 * What a CLI run needs to take `--event-log`: Pulumi 3.248 registers the flag only with debug commands on
 * (`pkg/cmd/pulumi/operations/up.go`), and rejects it as unknown otherwise.
 */
export const EVENT_LOG_ENV: Readonly<Record<string, string>> = { PULUMI_DEBUG_COMMANDS: "true" };

/** The argv that selects `stack`, creating it with a passphrase secrets provider when it does not exist. */
export function selectStackArgs(stack: string): string[] {
    return ["stack", "select", "--create", "--secrets-provider", "passphrase", stack];
}
