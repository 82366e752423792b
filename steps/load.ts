/**
 * `load` step: put a local image into a kind cluster's node.
 *
 *   load image --image REF --cluster NAME --archive-dir DIR [--engine docker|podman] [--engine-bin B] [--kind BIN]
 *
 * `kind load docker-image` only works with Docker (it calls `docker save` itself), so this saves the image with the
 * configured engine to an archive in the stack's own directory, runs `kind load image-archive`, and removes the
 * archive whatever happens. Prints `{"imageRef","cluster","bytes","seconds"}`.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveEngine } from "../lib/engine.js";
import { kindArgs, kindTool } from "./support/kind.js";
import { clusterNameProblem, imageReferenceProblem } from "../lib/names.js";
import { runTool } from "../lib/run-tool.js";
import { isDryRun } from "./support/flags.js";
import { verbSpec, type Flags } from "./support/verb.js";
import { isMain, main, seconds, UsageError, verbs, type StepIO } from "../lib/command-line.js";
import { imageExists, saveArgs, saveImage } from "../lib/images.js";

/** A file name for the archive of `imageRef`: readable, unique per call so parallel loads never share a file. */
export function archiveName(imageRef: string): string {
    return `${imageRef.replace(/[^A-Za-z0-9_.-]+/g, "_")}-${crypto.randomBytes(4).toString("hex")}.tar`;
}

async function loadImage(flags: Flags<"load", "image">, io: StepIO): Promise<number> {
    const problems = [
        imageReferenceProblem(flags.image) && `\`--image\`: ${imageReferenceProblem(flags.image)}`,
        clusterNameProblem(flags.cluster) && `\`--cluster\`: ${clusterNameProblem(flags.cluster)}`,
    ].filter(Boolean);
    if (problems.length) throw new UsageError(`load image: ${problems.join("; ")}`);
    const engine = resolveEngine({ requested: flags.engine, bin: flags["engine-bin"], env: io.env });
    const kind = kindTool(engine, io.env, flags.kind);
    const started = performance.now();
    const archive = path.join(path.resolve(flags["archive-dir"]), archiveName(flags.image));
    if (isDryRun(flags, io.env)) {
        io.out(
            JSON.stringify({
                dryRun: true,
                commands: [
                    [engine.bin, ...saveArgs(engine, flags.image, archive)],
                    [kind.bin, ...kindArgs.loadArchive(flags.cluster, archive)],
                ],
            }),
        );
        return 0;
    }
    if (!(await imageExists(engine, flags.image))) {
        throw new Error(`image \`${flags.image}\` is not in ${engine.name}'s local store; build or pull it first`);
    }
    try {
        const bytes = await saveImage(engine, flags.image, archive);
        await runTool(kind.bin, kindArgs.loadArchive(flags.cluster, archive), {
            doing: `load \`${flags.image}\` into cluster \`${flags.cluster}\``,
            env: kind.env,
            onStderrLine: (l) => io.log(`  ${l}`),
        });
        io.log(`load: loaded ${flags.image} into ${flags.cluster} (${bytes} bytes, ${seconds(started)} s)`);
        io.out(JSON.stringify({ imageRef: flags.image, cluster: flags.cluster, bytes, seconds: seconds(started) }));
    } finally {
        fs.rmSync(archive, { force: true });
        // The directory is the stack's; once no load is using it, nothing of it stays behind.
        try {
            fs.rmdirSync(path.dirname(archive));
        } catch {
            // another load's archive is still in it
        }
    }
    return 0;
}

export const run = verbs("load", "Put a local image into a kind cluster's node (Podman-safe).", {
    image: verbSpec("load", "image", loadImage),
});

if (isMain(import.meta.url)) await main("load", run);
