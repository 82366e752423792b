/**
 * Dockerfile rules that keep E2E builds fast and reproducible. Parsing is dockerfile-ast's (stages, continuations,
 * heredocs, exec form, comments); shell commands inside RUN are split by shell-quote, so `dnf update` in a comment or
 * a string is not a finding, while `dnf -y update` after `&&` is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DockerfileParser, type Add, type Dockerfile, type From, type Instruction, type Run } from "dockerfile-ast";
import { parse as parseShell, type ParseEntry } from "shell-quote";

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

/** A shell command within a RUN: its words, and the 1-based line it starts on. */
interface Command {
    readonly words: string[];
    readonly line: number;
}

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
    const report = (line: number, rule: DockerfileRule, message: string) => findings.push({ file, line, rule, severity: DOCKERFILE_RULES[rule], message });

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
                if (upgrade) report(command.line, "no-package-upgrade", `\`${upgrade}\` upgrades every package: builds get slow and unreproducible (DD-TEST-002: ~10 min instead of ~2); install named packages only`);
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

function checkBase(dockerfile: Dockerfile, from: From, stages: Set<string>, report: (line: number, rule: DockerfileRule, message: string) => void): void {
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
        report(lineOf(from), "pinned-base-image", `base image \`${image}\` is ${tag ? "`:latest`" : "untagged"} without a digest: the build changes whenever upstream does; pin a tag and \`@sha256:\` digest`);
    }
}

function checkAdd(instruction: Instruction, report: (line: number, rule: DockerfileRule, message: string) => void): void {
    // `--checksum` makes a remote ADD verifiable, which is what this rule is after.
    if ((instruction as Add).getFlags().some((f) => f.getName() === "checksum")) return;
    const sources = instruction.getArguments().map((a) => a.getValue()).slice(0, -1);
    for (const source of sources) {
        if (/^(https?|ftp):\/\//i.test(source) || /^git(@|:\/\/)/.test(source)) {
            report(lineOf(instruction), "no-remote-add", `\`ADD ${source}\` downloads at build time: not cacheable, not reproducible; download in a pinned, checksummed step or vendor the file`);
        }
    }
}

/** The shell commands of a RUN, with the line each starts on: shell form, exec form and heredocs. */
function runCommands(run: Run, lines: string[]): Command[] {
    const start = run.getRange().start.line;
    const end = run.getRange().end.line;
    const heredocs = run.getHeredocs();
    if (heredocs.length) {
        return heredocs.flatMap((heredoc) => {
            const range = heredoc.getContentRange();
            if (!range) return [];
            return scriptCommands(lines.slice(range.start.line, range.end.line + 1), range.start.line + 1);
        });
    }
    const content = (run.getArgumentsContent() ?? "").trim();
    if (content.startsWith("[")) {
        try {
            const argv = JSON.parse(content) as string[];
            if (/(^|\/)(ba|da)?sh$/.test(argv[0] ?? "") && argv[1] === "-c" && argv[2]) return scriptCommands(argv[2].split("\n"), start + 1);
            return [{ words: argv, line: start + 1 }];
        } catch {
            // not valid JSON: Docker runs it with the shell
        }
    }
    // Rebuild the script from the source: drop the keyword and the comment lines Docker ignores inside a continuation.
    const source = lines.slice(start, end + 1).map((line, i) => (i === 0 ? line.replace(/^\s*RUN\s+/i, "") : line));
    const script: string[] = [];
    let firstLine = start + 1;
    source.forEach((line, i) => {
        if (i > 0 && /^\s*#/.test(line)) return;
        const stripped = line.replace(/\\\s*$/, "");
        if (script.length === 0) firstLine = start + 1 + i;
        script.push(stripped);
    });
    // A continued RUN is one shell command line; keep it on one line for the lexer, reporting the RUN's first line.
    return scriptCommands([script.join(" ")], firstLine);
}

/** Splits shell script lines into commands at `&&`, `||`, `;`, `|`, `&` and newlines. */
function scriptCommands(scriptLines: string[], firstLine: number): Command[] {
    const commands: Command[] = [];
    scriptLines.forEach((text, i) => {
        let words: string[] = [];
        const flush = () => {
            if (words.length) commands.push({ words, line: firstLine + i });
            words = [];
        };
        let entries: ParseEntry[];
        try {
            entries = parseShell(text, (name) => `$${name}`);
        } catch {
            return;
        }
        for (const entry of entries) {
            if (typeof entry === "string") words.push(entry);
            else if ("comment" in entry) break;
            else if ("op" in entry && entry.op !== "glob") flush();
            else if ("pattern" in entry) words.push(entry.pattern);
        }
        flush();
    });
    // `sh -c '<script>'` runs a script of its own: its commands count as the RUN's.
    return commands.flatMap((command) => {
        const inner = programOf(command.words);
        const script = inner && /^(ba|da|a)?sh$/.test(inner.program) && inner.args[0] === "-c" ? inner.args[1] : undefined;
        return script === undefined ? [command] : [command, ...scriptCommands(script.split("\n"), command.line)];
    });
}

/** Shell words that open a compound command; the command proper follows them. */
const SHELL_KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "(", "time"]);
/** Programs that run the rest of their arguments as a command. */
const WRAPPERS = new Set(["sudo", "exec", "env", "nice", "nohup", "command"]);

/**
 * The program a command runs and its arguments, past what only sets it up: compound-command keywords (`then go build`),
 * environment assignments (`CGO_ENABLED=0 go build`), and wrappers with their options (`env -i GOOS=linux go build`,
 * `sudo -E dnf update`). Paths count by their last part (`/usr/local/go/bin/go`).
 */
export function programOf(words: readonly string[]): { program: string; args: string[] } | undefined {
    let i = 0;
    for (;;) {
        if (i >= words.length) return undefined;
        const word = words[i];
        if (SHELL_KEYWORDS.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
            i++;
        } else if (WRAPPERS.has(path.posix.basename(word))) {
            i++;
            while (i < words.length && words[i].startsWith("-")) i++;
        } else {
            return { program: path.posix.basename(word), args: words.slice(i + 1) };
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
function checkGoModules(stage: Instruction[], lines: string[], report: (line: number, rule: DockerfileRule, message: string) => void): void {
    const runs = stage.filter((i) => i.getKeyword() === "RUN");
    const builds = runs.some((run) => runCommands(run as Run, lines).some((c) => runsGo(c.words, "build") || runsGo(c.words, "install")));
    if (!builds) return;
    let copiedModules = false;
    let downloaded = false;
    for (const instruction of stage) {
        const keyword = instruction.getKeyword();
        if (keyword === "COPY") {
            const sources = instruction.getArguments().map((a) => a.getValue()).filter((a) => !a.startsWith("--")).slice(0, -1);
            if (sources.some((s) => path.posix.basename(s) === "go.mod")) copiedModules = true;
            if (sources.some((s) => s === "." || s === "./")) {
                if (!(copiedModules && downloaded)) {
                    report(lineOf(instruction), "go-mod-download-layer", "copies the whole context before `go mod download`: every source edit re-downloads all modules; first `COPY go.mod go.sum ./` and `RUN go mod download`, then `COPY . .`");
                }
                return;
            }
        } else if (keyword === "RUN" && runCommands(instruction as Run, lines).some((c) => runsGo(c.words, "mod", "download"))) {
            downloaded = copiedModules;
        }
    }
}

/** Dockerfiles under each path: the file itself, or `Dockerfile`, `*.Dockerfile` and `Dockerfile.*` below a directory. */
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
