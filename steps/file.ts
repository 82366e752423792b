/**
 * `file` step: put a file the stack owns on the host (the inter-service CA for test processes), and remove it.
 *
 *   file write --path FILE [--mode 0644]    (content on stdin)
 *   file delete --path FILE
 *
 * Prints `{"path","bytes"}` / `{"path","deleted"}`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMain, main, verbs, type StepIO } from "../lib/command-line.js";
import { isDryRun } from "./support/flags.js";
import { verbSpec, type Flags } from "./support/verb.js";

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString("utf8");
}

async function write(flags: Flags<"file", "write">, io: StepIO, stdin: () => Promise<string>): Promise<number> {
    const content = await stdin();
    if (isDryRun(flags, io.env)) {
        io.out(JSON.stringify({ dryRun: true, path: flags.path, bytes: Buffer.byteLength(content) }));
        return 0;
    }
    fs.mkdirSync(path.dirname(flags.path), { recursive: true });
    const tmp = `${flags.path}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content, { mode: parseInt(flags.mode, 8) });
    fs.renameSync(tmp, flags.path);
    io.out(JSON.stringify({ path: flags.path, bytes: Buffer.byteLength(content) }));
    return 0;
}

/** `run(argv, io)`; `stdin` is injectable for tests. */
export function run(
    argv: readonly string[],
    io: StepIO,
    stdin: () => Promise<string> = () => readStdin(),
): Promise<number> {
    return verbs("file", "Put a file the stack owns on the host, and remove it.", {
        write: verbSpec("file", "write", (flags, io2) => write(flags, io2, stdin)),
        delete: verbSpec("file", "delete", async (flags, io2) => {
            if (!isDryRun(flags, io2.env)) fs.rmSync(flags.path, { force: true });
            io2.out(
                JSON.stringify({
                    path: flags.path,
                    deleted: true,
                    ...(isDryRun(flags, io2.env) ? { dryRun: true } : {}),
                }),
            );
            return 0;
        }),
    })(argv, io);
}

if (isMain(import.meta.url)) await main("file", (argv, io) => run(argv, io));
