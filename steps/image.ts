/**
 * `image` step: build, save, pull and inspect images with Docker or Podman.
 *
 *   image build --context DIR --dockerfile FILE --repository NAME [--target T] [--build-arg K=V]... [--coverage]
 *               [--engine docker|podman] [--dry-run]
 *   image save --image REF --output FILE [--engine E]
 *   image pull --image REF [--engine E]
 *   image exists --image REF [--engine E]                      prints {"imageRef","present"}
 *   image fingerprint --context DIR --dockerfile FILE [--target T] [--build-arg K=V]... [--coverage]
 *
 * Each prints one JSON line on stdout. `build` first checks whether the content-addressed tag already exists and
 * builds nothing if it does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { ENGINE_BIN_ENV, engineEnv, resolveEngine, type ContainerEngine } from "../lib/engine.js";
import { fingerprintBuild } from "../lib/fingerprint.js";
import { effectiveBuildArgs, imageRefFor } from "../lib/image-ref.js";
import { imageReferenceProblem, repositoryProblem } from "../lib/names.js";
import { runTool, ToolError } from "../lib/run-tool.js";
import { ENGINE_OPTIONS, ENGINE_SCHEMA } from "./support/flags.js";
import { dispatch, main, parseFlags, parseKeyValues, seconds, UsageError, type StepIO } from "../lib/step-cli.js";

const buildInputFlags = {
    context: { type: "string" },
    dockerfile: { type: "string" },
    target: { type: "string" },
    "build-arg": { type: "string", multiple: true },
    coverage: { type: "boolean" },
} as const;
const buildInputSchema = {
    context: z.string().min(1, "is required"),
    dockerfile: z.string().min(1, "is required"),
    target: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be a build stage name").optional(),
    "build-arg": z.array(z.string()).optional(),
    coverage: z.boolean().optional(),
};

export interface BuildInputs {
    readonly contextDir: string;
    readonly dockerfile: string;
    readonly target?: string;
    readonly buildArgs: Record<string, string>;
}

/** The argv of the engine's build command. */
export function buildCommand(engine: ContainerEngine, imageRef: string, inputs: BuildInputs, fingerprint: string): string[] {
    const args = ["build", "-t", imageRef, "-f", inputs.dockerfile];
    if (engine.name === "docker") args.push("--progress=plain");
    if (inputs.target) args.push("--target", inputs.target);
    for (const [key, value] of Object.entries(inputs.buildArgs)) args.push("--build-arg", `${key}=${value}`);
    args.push("--label", `io.kubernaut-e2e.fingerprint=${fingerprint}`, inputs.contextDir);
    return args;
}

/**
 * The Dockerfile instruction a failed build stopped at, from the engine's output: BuildKit prints `> [stage n/m] RUN …:`
 * and Podman `building at STEP "RUN …"`; both print parse errors with the offending line.
 */
export function failingInstruction(output: string): string | undefined {
    const buildkit = [...output.matchAll(/^\s*(?:#\d+\s+)?>\s+\[[^\]]*\]\s+(.+?):?\s*$/gm)].pop();
    if (buildkit) return buildkit[1];
    const podman = /building at STEP "([^"]+)"/.exec(output);
    if (podman) return podman[1];
    const parse = /(dockerfile parse error[^\n]*|unknown instruction:?[^\n]*)/i.exec(output);
    return parse?.[1].trim();
}

function checkBuildInputs(values: { context: string; dockerfile: string; target?: string; "build-arg"?: string[]; coverage?: boolean }): BuildInputs {
    const contextDir = path.resolve(values.context);
    if (!fs.statSync(contextDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UsageError(`\`--context\`: \`${contextDir}\` is not a directory`);
    }
    const dockerfile = path.resolve(contextDir, values.dockerfile);
    if (!fs.statSync(dockerfile, { throwIfNoEntry: false })?.isFile()) {
        throw new UsageError(`\`--dockerfile\`: \`${dockerfile}\` does not exist`);
    }
    const buildArgs = effectiveBuildArgs(parseKeyValues("build-arg", values["build-arg"]), values.coverage ?? false);
    return { contextDir, dockerfile, target: values.target, buildArgs };
}

export async function imageExists(engine: ContainerEngine, imageRef: string): Promise<boolean> {
    const result = await runTool(engine.bin, ["image", "inspect", "--format", "{{.Id}}", imageRef], {
        doing: `inspect image \`${imageRef}\``,
        env: engineEnv(engine),
        allowFailure: true,
    });
    return result.exitCode === 0;
}

async function build(argv: readonly string[], io: StepIO): Promise<number> {
    const flags = parseFlags("image build", argv, { ...buildInputFlags, ...ENGINE_OPTIONS, repository: { type: "string" }, "dry-run": { type: "boolean" } },
        z.object({ ...buildInputSchema, ...ENGINE_SCHEMA, repository: z.string().min(1, "is required"), "dry-run": z.boolean().optional() }));
    const repoProblem = repositoryProblem(flags.repository);
    if (repoProblem) throw new UsageError(`\`--repository\`: ${repoProblem}`);
    const inputs = checkBuildInputs(flags);
    const engine = resolveEngine({ requested: flags.engine, bin: flags["engine-bin"], env: io.env });
    const started = performance.now();

    const { fingerprint } = fingerprintBuild({ ...inputs, context: inputs.contextDir });
    const imageRef = imageRefFor(flags.repository, fingerprint);
    const argvBuild = buildCommand(engine, imageRef, inputs, fingerprint);
    if (flags["dry-run"]) {
        io.out(JSON.stringify({ imageRef, fingerprint, built: false, seconds: seconds(started), command: [engine.bin, ...argvBuild] }));
        return 0;
    }
    if (await imageExists(engine, imageRef)) {
        io.log(`image build: ${imageRef} exists, nothing to build`);
        io.out(JSON.stringify({ imageRef, fingerprint, built: false, seconds: seconds(started) }));
        return 0;
    }
    io.log(`image build: building ${imageRef} with ${engine.name}`);
    try {
        await runTool(engine.bin, argvBuild, { doing: `build image \`${imageRef}\``, env: engineEnv(engine), onStderrLine: (l) => io.log(l) });
    } catch (err) {
        if (!(err instanceof ToolError)) throw err;
        const instruction = failingInstruction(err.output);
        const where = instruction ? `the build failed at \`${instruction}\` in ${inputs.dockerfile}` : `the build of ${inputs.dockerfile} failed`;
        const hint = /buildx component is missing/.test(err.output)
            ? `\n  hint: this docker client (${engine.bin}) has no buildx; point \`${ENGINE_BIN_ENV.docker}\` (or \`--engine-bin\`) at a client with BuildKit`
            : "";
        throw new Error(`${where}${hint}\n${err.message}`);
    }
    io.log(`image build: built ${imageRef} in ${seconds(started)} s`);
    io.out(JSON.stringify({ imageRef, fingerprint, built: true, seconds: seconds(started) }));
    return 0;
}

async function fingerprintOnly(argv: readonly string[], io: StepIO): Promise<number> {
    const flags = parseFlags("image fingerprint", argv, buildInputFlags, z.object(buildInputSchema));
    const inputs = checkBuildInputs(flags);
    const result = fingerprintBuild({ ...inputs, context: inputs.contextDir });
    io.out(JSON.stringify(result));
    return 0;
}

const IMAGE_FLAGS = { image: { type: "string" }, output: { type: "string" }, ...ENGINE_OPTIONS } as const;
const IMAGE_SCHEMA = z.object({ image: z.string().min(1, "is required"), output: z.string().min(1).optional(), ...ENGINE_SCHEMA });

/** Flags of the verbs that act on an existing image (`--output` is read by `save` only). */
function imageFlags(step: string, argv: readonly string[], io: StepIO) {
    const flags = parseFlags(step, argv, IMAGE_FLAGS, IMAGE_SCHEMA);
    const problem = imageReferenceProblem(flags.image);
    if (problem) throw new UsageError(`\`--image\`: ${problem}`);
    return { flags, engine: resolveEngine({ requested: flags.engine, bin: flags["engine-bin"], env: io.env }) };
}

/** Saves `imageRef` as a docker-archive tarball, the format `kind load image-archive` reads from either engine. */
export async function saveImage(engine: ContainerEngine, imageRef: string, archive: string): Promise<number> {
    fs.mkdirSync(path.dirname(archive), { recursive: true });
    const args = engine.name === "podman" ? ["save", "--format", "docker-archive", "-o", archive, imageRef] : ["save", "-o", archive, imageRef];
    await runTool(engine.bin, args, { doing: `save image \`${imageRef}\` to \`${archive}\``, env: engineEnv(engine) });
    return fs.statSync(archive).size;
}

async function save(argv: readonly string[], io: StepIO): Promise<number> {
    const { flags, engine } = imageFlags("image save", argv, io);
    if (!flags.output) throw new UsageError("image save: `--output` is required");
    const started = performance.now();
    const archive = path.resolve(flags.output);
    const bytes = await saveImage(engine, flags.image, archive);
    io.log(`image save: saved ${flags.image} to ${archive} (${bytes} bytes, ${seconds(started)} s)`);
    io.out(JSON.stringify({ imageRef: flags.image, archive, bytes, seconds: seconds(started) }));
    return 0;
}

async function pull(argv: readonly string[], io: StepIO): Promise<number> {
    const { flags, engine } = imageFlags("image pull", argv, io);
    const started = performance.now();
    if (await imageExists(engine, flags.image)) {
        io.out(JSON.stringify({ imageRef: flags.image, pulled: false, seconds: seconds(started) }));
        return 0;
    }
    await runTool(engine.bin, ["pull", flags.image], { doing: `pull image \`${flags.image}\``, env: engineEnv(engine) });
    io.out(JSON.stringify({ imageRef: flags.image, pulled: true, seconds: seconds(started) }));
    return 0;
}

async function exists(argv: readonly string[], io: StepIO): Promise<number> {
    const { flags, engine } = imageFlags("image exists", argv, io);
    // `present` is the observe contract: a Step whose image is gone is replaced, i.e. built or pulled again.
    io.out(JSON.stringify({ imageRef: flags.image, present: await imageExists(engine, flags.image) }));
    return 0;
}

const VERBS: Record<string, (argv: readonly string[], io: StepIO) => Promise<number>> = {
    build,
    save,
    pull,
    exists,
    fingerprint: fingerprintOnly,
};

export function run(argv: readonly string[], io: StepIO): Promise<number> {
    return dispatch("image", VERBS, argv, io);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("image", run);
