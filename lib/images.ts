/**
 * What several commands do with an engine's image store: ask whether an image is there, and save one as the
 * docker-archive `kind load image-archive` reads. Shared by the `image` and `load` steps and `up:timed`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { engineEnv, type ContainerEngine } from "./engine.js";
import { runTool } from "./run-tool.js";

export async function imageExists(engine: ContainerEngine, imageRef: string): Promise<boolean> {
    const result = await runTool(engine.bin, ["image", "inspect", "--format", "{{.Id}}", imageRef], {
        doing: `inspect image \`${imageRef}\``,
        env: engineEnv(engine),
        allowFailure: true,
    });
    return result.exitCode === 0;
}

/** Saves `imageRef` as a docker-archive tarball, the format `kind load image-archive` reads from either engine. */
export async function saveImage(engine: ContainerEngine, imageRef: string, archive: string): Promise<number> {
    fs.mkdirSync(path.dirname(archive), { recursive: true });
    await runTool(engine.bin, saveArgs(engine, imageRef, archive), {
        doing: `save image \`${imageRef}\` to \`${archive}\``,
        env: engineEnv(engine),
    });
    return fs.statSync(archive).size;
}

export function saveArgs(engine: ContainerEngine, imageRef: string, archive: string): string[] {
    return engine.name === "podman"
        ? ["save", "--format", "docker-archive", "-o", archive, imageRef]
        : ["save", "-o", archive, imageRef];
}
