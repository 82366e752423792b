/**
 * `image` step: build, save, pull and inspect images with Docker or Podman.
 *
 *   image build --context DIR --dockerfile FILE --repository NAME [--target T] [--build-arg K=V]... [--coverage]
 *               [--engine docker|podman] [--push [--insecure-registry]] [--dry-run]
 *   image save --image REF --output FILE [--engine E]
 *   image pull --image REF [--stand-in LOCAL] [--engine E]
 *   image exists --image REF [--engine E] [--in-registry [--insecure-registry]]   prints {"imageRef","present"}
 *   image push --image LOCAL --to REMOTE [--insecure-registry] [--engine E]
 *   image fingerprint --context DIR --dockerfile FILE [--repository NAME] [--target T] [--build-arg K=V]...
 *
 * Each prints one JSON line on stdout. `build` first checks whether the content-addressed tag already exists and
 * builds nothing if it does; with `--push` (the repository names a registry) it first asks the registry, and a tag
 * already there is neither built nor pushed: another machine built it from the same sources.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMain, main, seconds, UsageError, verbs, type StepIO } from "../lib/command-line.js";
import { ENGINE_BIN_ENV, engineEnv, resolveEngine, type ContainerEngine, type EngineName } from "../lib/engine.js";
import { fingerprintBuild, type GoBuild } from "../lib/fingerprint.js";
import { effectiveBuildArgs, imageRefFor } from "../lib/image-ref.js";
import { imageExists, saveArgs, saveImage } from "../lib/images.js";
import { repositoryProblem } from "../lib/names.js";
import { manifestExists } from "../lib/registry.js";
import { runTool, ToolError } from "../lib/run-tool.js";
import { isDryRun } from "./support/flags.js";
import { verbSpec, type Flags } from "./support/verb.js";

export interface BuildInputs {
    readonly contextDir: string;
    readonly dockerfile: string;
    readonly target?: string;
    readonly buildArgs: Record<string, string>;
    /** The Go main packages whose inputs decide the tag. @default - the whole context decides */
    readonly go?: GoBuild;
}

/** The argv of the engine's build command; the classic Docker builder (no BuildKit) knows no `--progress`. */
export function buildCommand(
    engine: ContainerEngine,
    imageRef: string,
    inputs: BuildInputs,
    fingerprint: string,
    buildkit = true,
): string[] {
    const args = ["build", "-t", imageRef, "-f", inputs.dockerfile];
    if (engine.name === "docker" && buildkit) args.push("--progress=plain");
    // The classic builder keeps the container of a failed RUN unless told otherwise; BuildKit and Podman never do.
    if (engine.name === "docker" && !buildkit) args.push("--force-rm");
    if (inputs.target) args.push("--target", inputs.target);
    for (const [key, value] of Object.entries(inputs.buildArgs)) args.push("--build-arg", `${key}=${value}`);
    args.push("--label", `io.kubernaut-e2e.fingerprint=${fingerprint}`, inputs.contextDir);
    return args;
}

/**
 * The Dockerfile instruction a failed build stopped at, from the engine's output: BuildKit prints `> [stage n/m] RUN
 * …:`
 * and Podman `building at STEP "RUN …"`; both print parse errors with the offending line.
 */
export function failingInstruction(output: string): string | undefined {
    const buildkit = [...output.matchAll(/^\s*(?:#\d+\s+)?>\s+\[[^\]]*\]\s+(.+?):?\s*$/gm)].pop();
    if (buildkit) return buildkit[1];
    const podman = /building at STEP "([^"]+)"/.exec(output);
    if (podman) return podman[1];
    const classic = [...output.matchAll(/^Step \d+\/\d+ : (.+)$/gm)].pop();
    if (classic) return classic[1].trim();
    const parse = /(dockerfile parse error[^\n]*|unknown instruction:?[^\n]*)/i.exec(output);
    return parse?.[1].trim();
}

/** The flags every build-input verb has (`build`, `fingerprint`). */
type BuildInputFlags = Pick<
    Flags<"image", "build">,
    "context" | "dockerfile" | "target" | "build-arg" | "coverage" | "go" | "go-package" | "go-tag"
>;

function checkBuildInputs(values: BuildInputFlags): BuildInputs {
    const contextDir = path.resolve(values.context);
    if (!fs.statSync(contextDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UsageError(`image: \`--context\`: \`${contextDir}\` is not a directory`);
    }
    const dockerfile = path.resolve(contextDir, values.dockerfile);
    if (!fs.statSync(dockerfile, { throwIfNoEntry: false })?.isFile()) {
        throw new UsageError(`image: \`--dockerfile\`: \`${dockerfile}\` does not exist`);
    }
    const buildArgs = effectiveBuildArgs(values["build-arg"], values.coverage ?? false);
    // `--go` with no package is an image that builds no Go of the context (only its COPYs count), not the whole
    // context.
    const go =
        values.go || values["go-package"].length
            ? { packages: values["go-package"], tags: values["go-tag"] }
            : undefined;
    return { contextDir, dockerfile, target: values.target, buildArgs, ...(go ? { go } : {}) };
}

/**
 * Docker clients from 23 on build with BuildKit only through buildx; distribution packages often ship without it, and
 * then `DOCKER_BUILDKIT=1` refuses to build with this message. The classic builder still works (more slowly: it
 * builds every stage), so the build is retried with it once, with a warning.
 */
const NO_BUILDX = /buildx component is missing|BuildKit is enabled but the buildx component is missing/;

async function build(flags: Flags<"image", "build">, io: StepIO): Promise<number> {
    const repoProblem = repositoryProblem(flags.repository);
    if (repoProblem) throw new UsageError(`image build: \`--repository\`: ${repoProblem}`);
    const inputs = checkBuildInputs(flags);
    const engine = resolveEngine({ requested: flags.engine, bin: flags["engine-bin"], env: io.env });
    const started = performance.now();

    const { fingerprint } = fingerprintBuild({ ...inputs, context: inputs.contextDir });
    const imageRef = imageRefFor(flags.repository, fingerprint);
    const promised = flags["promised-ref"];
    if (promised !== undefined && promised !== imageRef) {
        throw new Error(
            `image build: the stack promised \`${promised}\`, but these inputs give \`${imageRef}\`: the program and the step disagree on the build's inputs (${inputs.dockerfile})`,
        );
    }
    const insecure = flags["insecure-registry"] ?? false;
    if (isDryRun(flags, io.env)) {
        const push = flags.push ? [[engine.bin, ...pushArgs(engine, imageRef, insecure)]] : [];
        io.out(
            JSON.stringify({
                dryRun: true,
                imageRef,
                fingerprint,
                built: false,
                commands: [[engine.bin, ...buildCommand(engine, imageRef, inputs, fingerprint)], ...push],
            }),
        );
        return 0;
    }
    if (flags.push && (await manifestExists(imageRef, insecure))) {
        io.log(`image build: ${imageRef} is in the registry already, nothing to build or push`);
        io.out(JSON.stringify({ imageRef, fingerprint, built: false, pushed: false, seconds: seconds(started) }));
        return 0;
    }
    if (await imageExists(engine, imageRef)) {
        io.log(`image build: ${imageRef} exists, nothing to build`);
        if (flags.push) await pushImage(engine, imageRef, insecure, io);
        io.out(
            JSON.stringify({
                imageRef,
                fingerprint,
                built: false,
                ...(flags.push ? { pushed: true } : {}),
                seconds: seconds(started),
            }),
        );
        return 0;
    }
    io.log(`image build: building ${imageRef} with ${engine.name}`);
    const runBuild = (buildkit: boolean) =>
        runTool(engine.bin, buildCommand(engine, imageRef, inputs, fingerprint, buildkit), {
            doing: `build image \`${imageRef}\``,
            env: buildkit ? engineEnv(engine) : { DOCKER_BUILDKIT: "0" },
            onStderrLine: (l) => io.log(l),
        });
    try {
        try {
            await runBuild(true);
        } catch (err) {
            if (!(err instanceof ToolError) || engine.name !== "docker" || !NO_BUILDX.test(err.output)) throw err;
            io.log(
                `image build: warning: ${engine.bin} has no buildx, so it cannot build with BuildKit; building with the classic builder instead (set \`${ENGINE_BIN_ENV.docker}\` to a client with BuildKit for faster builds)`,
            );
            await runBuild(false);
        }
    } catch (err) {
        if (!(err instanceof ToolError)) throw err;
        const instruction = failingInstruction(err.output);
        const where = instruction
            ? `the build failed at \`${instruction}\` in ${inputs.dockerfile}`
            : `the build of ${inputs.dockerfile} failed`;
        throw new Error(`${where}\n${err.message}`);
    }
    io.log(`image build: built ${imageRef} in ${seconds(started)} s`);
    if (flags.push) await pushImage(engine, imageRef, insecure, io);
    io.out(
        JSON.stringify({
            imageRef,
            fingerprint,
            built: true,
            ...(flags.push ? { pushed: true } : {}),
            seconds: seconds(started),
        }),
    );
    return 0;
}

/** Podman verifies TLS unless told; Docker decides from its daemon's `insecure-registries` (loopback is insecure). */
export function pushArgs(engine: ContainerEngine, imageRef: string, insecure: boolean): string[] {
    return engine.name === "podman" && insecure ? ["push", "--tls-verify=false", imageRef] : ["push", imageRef];
}

async function pushImage(engine: ContainerEngine, imageRef: string, insecure: boolean, io: StepIO): Promise<void> {
    const started = performance.now();
    try {
        await runTool(engine.bin, pushArgs(engine, imageRef, insecure), {
            doing: `push image \`${imageRef}\``,
            env: engineEnv(engine),
        });
    } catch (err) {
        if (
            err instanceof ToolError &&
            engine.name === "docker" &&
            /server gave HTTP response to HTTPS client/.test(err.output)
        ) {
            throw new Error(
                `${err.message}\nDocker only pushes over plain HTTP to loopback registries and those in its daemon's \`insecure-registries\` (/etc/docker/daemon.json); add ${imageRef.split("/")[0]} there, or serve the registry over TLS`,
            );
        }
        throw err;
    }
    io.log(`image push: pushed ${imageRef} in ${seconds(started)} s`);
}

/** What the stack's tag for these inputs is: the fingerprint, and the ref when a repository is given. */
async function fingerprintOnly(flags: Flags<"image", "fingerprint">, io: StepIO): Promise<number> {
    const inputs = checkBuildInputs(flags);
    const result = fingerprintBuild({ ...inputs, context: inputs.contextDir });
    if (!inputs.buildArgs.GOARCH) {
        io.log(
            "image fingerprint: note: Kubernaut's stacks build with `--build-arg GOARCH=<arch>`; pass the same build arguments, or run `npm run --silent plan -- <stack> --images` for a stack's refs",
        );
    }
    io.out(
        JSON.stringify({
            ...(flags.repository ? { imageRef: imageRefFor(flags.repository, result.fingerprint) } : {}),
            ...result,
        }),
    );
    return 0;
}

const engineOf = (flags: { engine?: EngineName; "engine-bin"?: string }, io: StepIO) =>
    resolveEngine({ requested: flags.engine, bin: flags["engine-bin"], env: io.env });

async function save(flags: Flags<"image", "save">, io: StepIO): Promise<number> {
    const engine = engineOf(flags, io);
    const archive = path.resolve(flags.output);
    if (isDryRun(flags, io.env)) {
        io.out(JSON.stringify({ dryRun: true, commands: [[engine.bin, ...saveArgs(engine, flags.image, archive)]] }));
        return 0;
    }
    const started = performance.now();
    const bytes = await saveImage(engine, flags.image, archive);
    io.log(`image save: saved ${flags.image} to ${archive} (${bytes} bytes, ${seconds(started)} s)`);
    io.out(JSON.stringify({ imageRef: flags.image, archive, bytes, seconds: seconds(started) }));
    return 0;
}

async function pull(flags: Flags<"image", "pull">, io: StepIO): Promise<number> {
    const engine = engineOf(flags, io);
    if (isDryRun(flags, io.env)) {
        io.out(
            JSON.stringify({
                dryRun: true,
                commands: [
                    [engine.bin, "image", "inspect", flags.image],
                    flags["stand-in"]
                        ? [engine.bin, "tag", flags["stand-in"], flags.image]
                        : [engine.bin, "pull", flags.image],
                ],
            }),
        );
        return 0;
    }
    const started = performance.now();
    if (await imageExists(engine, flags.image)) {
        io.out(JSON.stringify({ imageRef: flags.image, pulled: false, seconds: seconds(started) }));
        return 0;
    }
    const standIn = flags["stand-in"];
    if (standIn) {
        await runTool(engine.bin, ["tag", standIn, flags.image], {
            doing: `tag the stand-in \`${standIn}\` as \`${flags.image}\``,
            env: engineEnv(engine),
        });
        io.log(`image pull: ${flags.image} is the stand-in ${standIn}, tagged so (nothing pulled)`);
        io.out(JSON.stringify({ imageRef: flags.image, pulled: false, standIn, seconds: seconds(started) }));
        return 0;
    }
    await runTool(engine.bin, ["pull", flags.image], {
        doing: `pull image \`${flags.image}\``,
        env: engineEnv(engine),
    });
    io.out(JSON.stringify({ imageRef: flags.image, pulled: true, seconds: seconds(started) }));
    return 0;
}

async function exists(flags: Flags<"image", "exists">, io: StepIO): Promise<number> {
    const engine = engineOf(flags, io);
    if (isDryRun(flags, io.env)) {
        io.out(
            JSON.stringify({
                dryRun: true,
                present: true,
                commands: flags["in-registry"] ? [] : [[engine.bin, "image", "inspect", flags.image]],
            }),
        );
        return 0;
    }
    // `present` is the observe contract: a step whose image is gone is made again.
    const present = flags["in-registry"]
        ? await manifestExists(flags.image, flags["insecure-registry"] ?? false)
        : await imageExists(engine, flags.image);
    io.out(JSON.stringify({ imageRef: flags.image, present }));
    return 0;
}

async function push(flags: Flags<"image", "push">, io: StepIO): Promise<number> {
    const engine = engineOf(flags, io);
    const insecure = flags["insecure-registry"] ?? false;
    if (isDryRun(flags, io.env)) {
        io.out(
            JSON.stringify({
                dryRun: true,
                commands: [
                    [engine.bin, "tag", flags.image, flags.to],
                    [engine.bin, ...pushArgs(engine, flags.to, insecure)],
                    [engine.bin, "rmi", flags.to],
                ],
            }),
        );
        return 0;
    }
    const started = performance.now();
    if (await manifestExists(flags.to, insecure)) {
        io.out(JSON.stringify({ imageRef: flags.to, pushed: false, seconds: seconds(started) }));
        return 0;
    }
    await runTool(engine.bin, ["tag", flags.image, flags.to], {
        doing: `tag \`${flags.image}\` as \`${flags.to}\``,
        env: engineEnv(engine),
    });
    try {
        await pushImage(engine, flags.to, insecure, io);
    } finally {
        // Only the extra name goes; the image stays under its own.
        await runTool(engine.bin, ["rmi", flags.to], {
            doing: `untag \`${flags.to}\``,
            env: engineEnv(engine),
            allowFailure: true,
        });
    }
    io.out(JSON.stringify({ imageRef: flags.to, pushed: true, seconds: seconds(started) }));
    return 0;
}

export const run = verbs("image", "Build, save, pull and inspect images with Docker or Podman.", {
    build: verbSpec("image", "build", build),
    save: verbSpec("image", "save", save),
    pull: verbSpec("image", "pull", pull),
    exists: verbSpec("image", "exists", exists),
    push: verbSpec("image", "push", push),
    fingerprint: verbSpec("image", "fingerprint", fingerprintOnly),
});

if (isMain(import.meta.url)) await main("image", run);
