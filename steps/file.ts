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
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { main, parseFlags, UsageError, type StepIO } from "../lib/step-cli.js";

const FLAGS = { path: { type: "string" }, mode: { type: "string" } } as const;
const SCHEMA = z.object({
    path: z.string().min(1, "is required").refine((p) => path.isAbsolute(p), "must be an absolute path"),
    mode: z.string().regex(/^0?[0-7]{3}$/, "must be an octal mode such as 0644").default("0644"),
});

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString("utf8");
}

export async function run(argv: readonly string[], io: StepIO, stdin: () => Promise<string> = () => readStdin()): Promise<number> {
    const [verb, ...rest] = argv;
    const flags = parseFlags(`file ${verb ?? ""}`, rest, FLAGS, SCHEMA);
    if (verb === "write") {
        const content = await stdin();
        fs.mkdirSync(path.dirname(flags.path), { recursive: true });
        const tmp = `${flags.path}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, content, { mode: parseInt(flags.mode, 8) });
        fs.renameSync(tmp, flags.path);
        io.out(JSON.stringify({ path: flags.path, bytes: Buffer.byteLength(content) }));
        return 0;
    }
    if (verb === "delete") {
        fs.rmSync(flags.path, { force: true });
        io.out(JSON.stringify({ path: flags.path, deleted: true }));
        return 0;
    }
    throw new UsageError(`file: expected one of write, delete, got \`${verb ?? ""}\``);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("file", run);
