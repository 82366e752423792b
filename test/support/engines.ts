/**
 * The real container engines the integration tests drive. Both must be installed (`.ci/run` installs them); a
 * missing engine fails the tests that need it rather than skipping them.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import { ENGINE_BIN_ENV, type ContainerEngine, type EngineName } from "../../lib/engine.js";

/** The base image every test Dockerfile starts FROM; `.ci/run` imports it from Debian's busybox-static. */
export const BASE_IMAGE = process.env.KUBERNAUT_E2E_TEST_BASE_IMAGE ?? "localhost/kubernaut-e2e/base:busybox";

export function testEngine(name: EngineName): ContainerEngine {
    return { name, bin: process.env[ENGINE_BIN_ENV[name]] ?? name };
}

/** Environment that points the step programs at the test engine binaries. */
export function engineEnv(): Record<string, string> {
    return { [ENGINE_BIN_ENV.docker]: testEngine("docker").bin, [ENGINE_BIN_ENV.podman]: testEngine("podman").bin };
}

export async function engineRun(engine: ContainerEngine, args: string[]) {
    return execa(engine.bin, args, { reject: false, env: engine.name === "docker" ? { DOCKER_BUILDKIT: "1" } : {} });
}

/** Fails with a clear message when the engine or the base image is missing. */
export async function requireEngine(engine: ContainerEngine): Promise<void> {
    const info = await engineRun(engine, ["image", "inspect", BASE_IMAGE]);
    if (info.exitCode !== 0) {
        throw new Error(`${engine.name} (${engine.bin}) cannot see the base image ${BASE_IMAGE}: run .ci/run's setup, or import a rootfs as that name\n${info.stderr}`);
    }
}

export async function removeImages(engine: ContainerEngine, refs: Iterable<string>): Promise<void> {
    const list = [...new Set(refs)];
    if (list.length) await engineRun(engine, ["rmi", "-f", ...list]);
}

/** A repository name no other test run uses, so a machine handed on with images never satisfies a build. */
export function uniqueRepository(label: string): string {
    return `localhost/ke2e-test/${label}-${crypto.randomBytes(4).toString("hex")}`;
}

/** An engine binary in `dir` that appends each call's arguments to `log`, then runs the real engine. */
export function recordingEngine(engine: ContainerEngine, dir: string): { bin: string; log: string } {
    const bin = path.join(dir, engine.name);
    const log = path.join(dir, "calls.log");
    fs.writeFileSync(bin, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${engine.bin}' "$@"\n`, { mode: 0o755 });
    return { bin, log };
}
