/**
 * Dockerfile rules that keep E2E builds fast and reproducible. Parsing is dockerfile-ast's (stages, continuations,
 * heredocs, exec form, comments); shell commands inside RUN are split by shell-quote, so `dnf update` in a comment or
 * a string is not a finding, while `dnf -y update` after `&&` is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DockerfileParser, type Add, type Dockerfile, type From, type Instruction, type Run } from "dockerfile-ast";
import { programOf, runCommands } from "../lib/dockerfile-commands.js";

export type Severity = "error" | "warning";

export interface Finding {
    readonly file: string;
    /** 1-based line. */
    readonly line: number;
    readonly rule: string;
    readonly severity: Severity;
    readonly message: string;
}

export const DOCKERFILE_RULES = {
    "no-package-upgrade": "error",
    "no-remote-add": "error",
    "pinned-base-image": "warning",
    "go-mod-download-layer": "warning",
} as const satisfies Record<string, Severity>;

export type DockerfileRule = keyof typeof DOCKERFILE_RULES;

/** Package managers, and the subcommands that upgrade everything instead of installing named packages. */
const UPGRADES: Record<string, readonly string[]> = {
    dnf: ["update", "upgrade", "upgrade-minimal"],
    microdnf: ["update", "upgrade"],
    yum: ["update", "upgrade"],
    "apt-get": ["upgrade", "dist-upgrade", "full-upgrade"],
    apt: ["upgrade", "dist-upgrade", "full-upgrade"],
    apk: ["upgrade"],
};

export function lintDockerfile(file: string, text: string): Finding[] {
    const dockerfile = DockerfileParser.parse(text);
    const lines = text.split(/\r?\n/);
    const findings: Finding[] = [];
    const report = (line: number, rule: DockerfileRule, message: string) =>
        findings.push({ file, line, rule, severity: DOCKERFILE_RULES[rule], message });

    const stageNames = new Set<string>();
    let stage: Instruction[] = [];
    const stages: Instruction[][] = [];
    for (const instruction of dockerfile.getInstructions()) {
        const keyword = instruction.getKeyword();
        if (keyword === "FROM") {
            checkBase(dockerfile, instruction as From, stageNames, report);
            const name = (instruction as From).getBuildStage();
            if (name) stageNames.add(name.toLowerCase());
            stage = [];
            stages.push(stage);
        }
        stage.push(instruction);
        if (keyword === "RUN") {
            for (const command of runCommands(instruction as Run, lines)) {
                const upgrade = upgradeOf(command.words);
                if (upgrade)
                    report(
                        command.line,
                        "no-package-upgrade",
                        `\`${upgrade}\` upgrades every package: builds get slow and unreproducible (DD-TEST-002: ~10 min instead of ~2); install named packages only`,
                    );
            }
        } else if (keyword === "ADD") {
            checkAdd(instruction, report);
        }
    }
    for (const instructions of stages) checkGoModules(instructions, lines, report);
    return findings.sort((a, b) => a.line - b.line);
}

function lineOf(instruction: Instruction): number {
    return instruction.getRange().start.line + 1;
}

function checkBase(
    dockerfile: Dockerfile,
    from: From,
    stages: Set<string>,
    report: (line: number, rule: DockerfileRule, message: string) => void,
): void {
    const raw = from.getImage();
    if (!raw) return;
    const image = raw.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => {
        const arg = dockerfile.getInitialARGs().find((a) => a.getProperty()?.getName() === name);
        return arg?.getProperty()?.getValue() ?? whole;
    });
    if (image.includes("$")) return; // set only at build time: nothing to judge here
    if (image === "scratch" || stages.has(image.toLowerCase())) return;
    const [nameAndTag, digest] = image.split("@");
    const lastSlash = nameAndTag.lastIndexOf("/");
    const colon = nameAndTag.indexOf(":", lastSlash + 1);
    const tag = colon >= 0 ? nameAndTag.slice(colon + 1) : undefined;
    if (digest) return;
    if (tag === undefined || tag === "latest") {
        report(
            lineOf(from),
            "pinned-base-image",
            `base image \`${image}\` is ${tag ? "`:latest`" : "untagged"} without a digest: the build changes whenever upstream does; pin a tag and \`@sha256:\` digest`,
        );
    }
}

function checkAdd(
    instruction: Instruction,
    report: (line: number, rule: DockerfileRule, message: string) => void,
): void {
    // `--checksum` makes a remote ADD verifiable, which is what this rule is after.
    if ((instruction as Add).getFlags().some((f) => f.getName() === "checksum")) return;
    const sources = instruction
        .getArguments()
        .map((a) => a.getValue())
        .slice(0, -1);
    for (const source of sources) {
        if (/^(https?|ftp):\/\//i.test(source) || /^git(@|:\/\/)/.test(source)) {
            report(
                lineOf(instruction),
                "no-remote-add",
                `\`ADD ${source}\` downloads at build time: not cacheable, not reproducible; download in a pinned, checksummed step or vendor the file`,
            );
        }
    }
}

/** `dnf -y update` → "dnf update"; undefined for anything that is not a whole-system upgrade. */
function upgradeOf(words: string[]): string | undefined {
    const command = programOf(words);
    const subcommands = command && UPGRADES[command.program];
    if (!command || !subcommands) return undefined;
    const sub = command.args.find((w) => !w.startsWith("-"));
    return sub && subcommands.includes(sub) ? `${command.program} ${sub}` : undefined;
}

/** Whether a command runs `go <subcommand>` (however it is wrapped). */
function runsGo(words: readonly string[], ...subcommand: string[]): boolean {
    const command = programOf(words);
    return command?.program === "go" && subcommand.every((s, i) => command.args[i] === s);
}

/**
 * A Go build stage that copies the whole context before downloading modules re-downloads every module on any source
 * edit. Good: `COPY go.mod go.sum ./` and `RUN go mod download` before `COPY . .`.
 */
function checkGoModules(
    stage: Instruction[],
    lines: string[],
    report: (line: number, rule: DockerfileRule, message: string) => void,
): void {
    const runs = stage.filter((i) => i.getKeyword() === "RUN");
    const builds = runs.some((run) =>
        runCommands(run as Run, lines).some((c) => runsGo(c.words, "build") || runsGo(c.words, "install")),
    );
    if (!builds) return;
    let copiedModules = false;
    let downloaded = false;
    for (const instruction of stage) {
        const keyword = instruction.getKeyword();
        if (keyword === "COPY") {
            const sources = instruction
                .getArguments()
                .map((a) => a.getValue())
                .filter((a) => !a.startsWith("--"))
                .slice(0, -1);
            if (sources.some((s) => path.posix.basename(s) === "go.mod")) copiedModules = true;
            if (sources.some((s) => s === "." || s === "./")) {
                if (!(copiedModules && downloaded)) {
                    report(
                        lineOf(instruction),
                        "go-mod-download-layer",
                        "copies the whole context before `go mod download`: every source edit re-downloads all modules; first `COPY go.mod go.sum ./` and `RUN go mod download`, then `COPY . .`",
                    );
                }
                return;
            }
        } else if (
            keyword === "RUN" &&
            runCommands(instruction as Run, lines).some((c) => runsGo(c.words, "mod", "download"))
        ) {
            downloaded = copiedModules;
        }
    }
}

/**
 * Dockerfiles under each path: the file itself, or `Dockerfile`, `*.Dockerfile` and `Dockerfile.*` below a directory.
 */
export function findDockerfiles(paths: readonly string[]): string[] {
    const found: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (entry.isDirectory()) {
                if (entry.name !== "node_modules" && entry.name !== ".git") walk(path.join(dir, entry.name));
            } else if (/^Dockerfile(\..+)?$|\.Dockerfile$/i.test(entry.name) && !entry.name.endsWith(".dockerignore")) {
                found.push(path.join(dir, entry.name));
            }
        }
    };
    for (const p of paths) {
        const st = fs.statSync(p, { throwIfNoEntry: false });
        if (!st) throw new Error(`\`${p}\` does not exist`);
        if (st.isDirectory()) walk(p);
        else found.push(p);
    }
    return found.sort();
}
