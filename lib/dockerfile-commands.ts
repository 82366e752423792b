/**
 * The shell commands a Dockerfile's RUN instructions run, as words: shell form (continuations rebuilt, comments inside
 * them dropped as Docker drops them), exec form, heredocs and `sh -c` scripts, split at `&&`, `||`, `;`, `|` and `&` by
 * shell-quote; and the program each runs past keywords, assignments and wrappers. The Dockerfile lint and the Go-aware
 * fingerprint read RUNs the same way.
 */
import * as path from "node:path";
import type { Run } from "dockerfile-ast";
import { parse as parseShell, type ParseEntry } from "shell-quote";

/** A shell command within a RUN: its words, and the 1-based line it starts on. */
export interface Command {
    readonly words: string[];
    readonly line: number;
}

/** The shell commands of a RUN, with the line each starts on: shell form, exec form and heredocs. */
export function runCommands(run: Run, lines: string[]): Command[] {
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
            if (/(^|\/)(ba|da)?sh$/.test(argv[0] ?? "") && argv[1] === "-c" && argv[2])
                return scriptCommands(argv[2].split("\n"), start + 1);
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
export function scriptCommands(scriptLines: string[], firstLine: number): Command[] {
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
        const script =
            inner && /^(ba|da|a)?sh$/.test(inner.program) && inner.args[0] === "-c" ? inner.args[1] : undefined;
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
