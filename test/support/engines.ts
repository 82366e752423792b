/**
 * The real container engines the integration tests drive. Both must be installed (`.ci/run` installs them); a
 * missing engine fails the tests that need it rather than skipping them.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
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

/** Debian's static busybox (package busybox-static), the one binary of the base image. */
export const BUSYBOX = process.env.KUBERNAUT_E2E_TEST_BUSYBOX ?? "/bin/busybox";
const APPLETS = ["sh", "cat", "echo", "ls", "true", "false", "sleep", "httpd"];

/**
 * The base image every test Dockerfile starts FROM, made in `engine`'s store when it is not there: Debian's static
 * busybox as a one-binary root file system (no image can be pulled here). It is kept afterwards, as `.ci/run` keeps
 * the one it makes before the leftovers snapshot: a base, not a test's product. Fails with one line saying what to
 * install when the engine does not answer or busybox is missing.
 */
export async function requireEngine(engine: ContainerEngine): Promise<void> {
    if ((await engineRun(engine, ["image", "inspect", BASE_IMAGE])).exitCode === 0) return;
    const info = await engineRun(engine, ["info"]);
    if (info.exitCode !== 0) {
        const last = String(info.stderr).trim().split("\n").pop();
        throw new Error(
            `${engine.name} (${engine.bin}) does not answer: ${last}; install it (apt-get install docker.io podman) and start it (dockerd)`,
        );
    }
    if (!fs.existsSync(BUSYBOX))
        throw new Error(
            `${BUSYBOX} is missing: the tests' base image is made from it (apt-get install busybox-static)`,
        );
    const rootfs = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-base-"));
    try {
        fs.mkdirSync(path.join(rootfs, "bin"));
        fs.mkdirSync(path.join(rootfs, "tmp"));
        fs.copyFileSync(BUSYBOX, path.join(rootfs, "bin", "busybox"));
        fs.chmodSync(path.join(rootfs, "bin", "busybox"), 0o755);
        for (const applet of APPLETS) fs.symlinkSync("busybox", path.join(rootfs, "bin", applet));
        const archive = `${rootfs}.tar`;
        await execa("tar", ["-C", rootfs, "-cf", archive, "."]);
        const imported = await engineRun(engine, ["import", archive, BASE_IMAGE]);
        fs.rmSync(archive, { force: true });
        // Two test files may import at once; either import is the same base.
        if (imported.exitCode !== 0 && (await engineRun(engine, ["image", "inspect", BASE_IMAGE])).exitCode !== 0) {
            throw new Error(
                `could not import the tests' base image ${BASE_IMAGE} into ${engine.name}: ${imported.stderr}`,
            );
        }
    } finally {
        fs.rmSync(rootfs, { recursive: true, force: true });
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
