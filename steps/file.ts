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
import { z } from "zod";
import { isMain, main, verbs, type FlagSpecs, type StepIO } from "../lib/command-line.js";
import { DRY_RUN_FLAGS, DRY_RUN_SCHEMA, isDryRun, NO_POSITIONALS } from "./support/flags.js";

const FLAGS: FlagSpecs = {
    path: { type: "string", value: "FILE", description: "absolute path of the file" },
    mode: { type: "string", value: "MODE", description: "octal mode (default 0644)" },
    ...DRY_RUN_FLAGS,
};
const SCHEMA = z.object({
    path: z.string({ error: "is required" }).min(1, "is required").refine((p) => path.isAbsolute(p), "must be an absolute path"),
    mode: z.string().regex(/^0?[0-7]{3}$/, "must be an octal mode such as 0644").default("0644"),
    ...DRY_RUN_SCHEMA,
    ...NO_POSITIONALS,
});
type Flags = z.infer<typeof SCHEMA>;

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString("utf8");
}

async function write(flags: Flags, io: StepIO, stdin: () => Promise<string>): Promise<number> {
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
export function run(argv: readonly string[], io: StepIO, stdin: () => Promise<string> = () => readStdin()): Promise<number> {
    return verbs("file", "Put a file the stack owns on the host, and remove it.", {
        write: { description: "write standard input to the file, atomically", flags: FLAGS, schema: SCHEMA, run: (f, io2) => write(f as Flags, io2, stdin) },
        delete: {
            description: "remove the file (succeeds when it is already gone)",
            flags: FLAGS,
            schema: SCHEMA,
            async run(f, io2) {
                const flags = f as Flags;
                if (!isDryRun(flags, io2.env)) fs.rmSync(flags.path, { force: true });
                io2.out(JSON.stringify({ path: flags.path, deleted: true, ...(isDryRun(flags, io2.env) ? { dryRun: true } : {}) }));
                return 0;
            },
        },
    })(argv, io);
}

if (isMain(import.meta.url)) await main("file", (argv, io) => run(argv, io));
