/**
 * `npm run toolchain -- build|status|env`: the offline Kind + Pulumi toolchain (see `toolchain/`).
 *
 *   toolchain build [--only a,b] [--rebuild a,b]   build what is missing; resumes after the last finished action
 *   toolchain status [--json]                        what is built, when, how long it took, and how big it is
 *   toolchain env [--json]                           the environment that makes `npm run up` and the tests use it
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { isMain, main, verbs, type StepIO } from "../lib/command-line.js";
import type { ToolchainContext } from "../toolchain/action.js";
import { toolchainEnv } from "../lib/toolchain/env.js";
import { profileFile } from "../lib/toolchain/profile.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { directorySize } from "../toolchain/cache.js";
import { PINS } from "../lib/toolchain/pins.js";
import { NO_PROGRESS, stderrSink } from "../toolchain/progress.js";
import { describeMissing, missingPrerequisites } from "../toolchain/prerequisites.js";
import { actionStatuses, buildToolchain } from "../toolchain/toolchain.js";

function context(io: StepIO): ToolchainContext {
    return {
        layout: toolchainLayout(io.env),
        pins: PINS,
        log: io.log,
        progress: NO_PROGRESS,
        podman: io.env.KUBERNAUT_E2E_PODMAN ?? "podman",
        env: io.env,
    };
}

const list = (value: string | undefined) =>
    value
        ? value
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
        : undefined;

const shellWord = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

async function build(values: { only?: string; rebuild?: string }, io: StepIO): Promise<number> {
    const missing = describeMissing(missingPrerequisites(io.env));
    if (missing.length)
        throw new Error(
            `toolchain build: missing on this machine (\`npm run setup\` installs them):\n${missing.map((m) => `  - ${m}`).join("\n")}`,
        );
    const ctx = context(io);
    io.log(`toolchain: building into ${ctx.layout.setDir}`);
    const report = await buildToolchain(ctx, {
        only: list(values.only),
        rebuild: list(values.rebuild),
        sink: stderrSink(),
    });
    io.out(JSON.stringify({ setDir: ctx.layout.setDir, ...report }));
    return 0;
}

async function status(values: { json?: boolean }, io: StepIO): Promise<number> {
    const ctx = context(io);
    const actions = await actionStatuses(ctx);
    const sizes = {
        setBytes: directorySize(ctx.layout.setDir),
        goCacheBytes: directorySize(path.dirname(ctx.layout.goModCache)),
    };
    if (values.json) {
        io.out(JSON.stringify({ setDir: ctx.layout.setDir, actions, ...sizes }));
        return 0;
    }
    io.out(`toolchain ${ctx.layout.setId} in ${ctx.layout.setDir}`);
    for (const a of actions)
        io.out(
            `  ${a.done ? "built  " : "missing"} ${a.name.padEnd(22)} ${a.seconds !== undefined && a.done ? `${String(a.seconds).padStart(7)} s  ` : "           "}${a.description}`,
        );
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
    io.out(
        `  size: ${gib(sizes.setBytes)} (plus ${gib(sizes.goCacheBytes)} of Go module and build caches, and the images in Podman's store)`,
    );
    return actions.every((a) => a.done) ? 0 : 1;
}

async function env(values: { json?: boolean }, io: StepIO): Promise<number> {
    const ctx = context(io);
    if (!fs.existsSync(path.join(ctx.layout.binDir, "pulumi")))
        io.log(`toolchain env: nothing is built in ${ctx.layout.setDir} yet; run \`npm run toolchain -- build\``);
    const vars = toolchainEnv(ctx.layout, io.env);
    if (values.json) io.out(JSON.stringify(vars));
    else for (const [k, v] of Object.entries(vars)) io.out(`export ${k}=${shellWord(v)}`);
    // The images, the node image and Kubernaut's tree reach the stacks through the profile, not the environment.
    if (fs.existsSync(profileFile(ctx.layout)))
        io.log(`toolchain env: the stacks take the toolchain's images as defaults from ${profileFile(ctx.layout)}`);
    return 0;
}

const json = { json: { type: "boolean" as const, description: "print JSON" } };
const noArgs = { _: z.array(z.string()).max(0, "takes no positional arguments") };

export const run = verbs(
    "toolchain",
    "The offline Kind + Pulumi toolchain, built from Go modules and Debian packages.",
    {
        build: {
            description: "build what is missing; resumes after the last finished action",
            flags: {
                only: { type: "string", value: "A,B", description: "only these actions" },
                rebuild: { type: "string", value: "A,B", description: "build these again even when done" },
            },
            schema: z.object({ ...noArgs, only: z.string().optional(), rebuild: z.string().optional() }),
            run: (values, io) => build(values as { only?: string; rebuild?: string }, io),
        },
        status: {
            description: "what is built, when, how long each took, and how big it is; exit 1 when anything is missing",
            flags: json,
            schema: z.object({ ...noArgs, json: z.boolean().optional() }),
            run: (v, io) => status(v as { json?: boolean }, io),
        },
        env: {
            description: "the environment that makes `npm run up` and the tests use the toolchain (eval it)",
            flags: json,
            schema: z.object({ ...noArgs, json: z.boolean().optional() }),
            run: (v, io) => env(v as { json?: boolean }, io),
        },
    },
);

if (isMain(import.meta.url)) await main("toolchain", run);
