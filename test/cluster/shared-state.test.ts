/**
 * State a team shares, for real: the offline toolchain's Pulumi CLI on Pulumi's DIY backends in PostgreSQL (Debian's
 * server) and in an S3-compatible object store (s3rver). Two working copies of the project take turns on one stack —
 * the second, at the path the first had (as on another machine), sees the first's resources, and its `up` changes
 * nothing — and while one copy's `up` holds the stack, the other's is refused by the backend's lock.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { startPostgresBackend, startS3Backend, type StateBackend } from "../support/state-backends.js";
import {
    BUSYBOX_BASE,
    deleteClusters,
    freePort,
    podmanImagesSnapshot,
    ProjectCopy,
    requireToolchain,
    uniqueName,
    type Toolchain,
} from "./support/harness.js";

const STACK = "smoke-e2e";
const BACKENDS: Record<StateBackend["name"], () => Promise<StateBackend>> = {
    postgres: startPostgresBackend,
    s3: startS3Backend,
};

for (const [name, start] of Object.entries(BACKENDS)) {
    describe(`two working copies on one stack in ${name}`, () => {
        let toolchain: Toolchain;
        let backend: StateBackend;
        let parent: string;
        let first: ProjectCopy;
        let second: ProjectCopy | undefined;
        let removeAddedImages: (() => Promise<void>) | undefined;
        const cluster = uniqueName(`ke2e-${name}`);

        before(async () => {
            toolchain = await requireToolchain();
            removeAddedImages = await podmanImagesSnapshot(toolchain);
            backend = await start();
            parent = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "ke2e-team-"));
            // One work root: the stack's host paths (kubeconfig, archives) are the same on both "machines".
            const env = {
                ...backend.env,
                PULUMI_BACKEND_URL: backend.url,
                KUBERNAUT_E2E_WORK_ROOT: path.join(parent, "work"),
            };
            first = await ProjectCopy.create(toolchain, env, path.join(parent, "project"));
            await first.initStack(STACK, {
                clusterName: cluster,
                nodeImage: toolchain.nodeImage,
                engine: "podman",
                baseImage: BUSYBOX_BASE,
                hostPort: await freePort(),
            });
        });
        after(async () => {
            const last = second ?? first;
            if (last) await last.pulumi(["destroy", "--yes", "--skip-preview"], { stack: STACK, reject: false });
            if (toolchain) await deleteClusters(toolchain, [cluster]);
            if (parent) fs.rmSync(parent, { recursive: true, force: true });
            await backend?.stop();
            await removeAddedImages?.();
        });

        it("the first copy brings the stack up; the second, at the same path, sees its resources and its up changes nothing", async () => {
            const up = await first.pulumi(["up", "--yes", "--skip-preview"], { stack: STACK, reject: false });
            assert.equal(up.exitCode, 0, up.stdout.slice(-4000));
            const stackFile = fs.readFileSync(path.join(first.dir, `Pulumi.${STACK}.yaml`));
            const path0 = first.dir;
            first = first.moveTo(path.join(parent, "project-a"));
            // The second machine: a fresh checkout at the path the first had, with the stack's committed config.
            second = await ProjectCopy.create(
                toolchain,
                { ...first.env, XDG_CACHE_HOME: path.join(path0, ".cache") },
                path0,
            );
            fs.writeFileSync(path.join(second.dir, `Pulumi.${STACK}.yaml`), stackFile);

            const seen = JSON.parse((await second.pulumi(["stack", "export"], { stack: STACK })).stdout) as {
                deployment: { resources?: { type: string }[] };
            };
            assert.ok(
                (seen.deployment.resources ?? []).some((r) => r.type === "kubernetes:apps/v1:Deployment"),
                "the second copy sees the first's resources",
            );
            const preview = await second.pulumi(["preview", "--expect-no-changes"], { stack: STACK, reject: false });
            assert.equal(preview.exitCode, 0, preview.stdout.slice(-4000));
            const noop = await second.pulumi(["up", "--yes", "--skip-preview", "--expect-no-changes"], {
                stack: STACK,
                reject: false,
            });
            assert.equal(noop.exitCode, 0, noop.stdout.slice(-4000));
        });

        it("refuses a second up while the first holds the stack's lock, naming the lock", async () => {
            assert.ok(second, "the first scenario made the second copy");
            // The first copy now sits at another path, so its up has steps to update: it holds the lock for a while.
            const running = first.spawnPulumi(["up", "--yes", "--skip-preview"], STACK, first.env);
            let held = false;
            for (let i = 0; i < 600 && !held && running.exitCode === null; i++) {
                held = await backend.lockHeld();
                if (!held) await new Promise((r) => setTimeout(r, 100));
            }
            assert.ok(held, "the first up took the backend's lock");
            const refused = await second.pulumi(["up", "--yes", "--skip-preview"], { stack: STACK, reject: false });
            const done = await running;
            assert.notEqual(refused.exitCode, 0);
            assert.match(`${refused.stdout}\n${refused.stderr}`, /the stack is currently locked by 1 lock\(s\)/);
            assert.equal(done.exitCode, 0, String(done.stdout).slice(-4000));
            assert.equal(await backend.lockHeld(), false, "the lock goes with the up");
        });
    });
}
