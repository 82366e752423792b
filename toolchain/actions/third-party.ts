/**
 * Local stand-ins for the third-party images the stacks pull elsewhere: PostgreSQL from Debian's postgresql-15
 * (with the contrib extensions Kubernaut's migrations use, `uuid-ossp` and `pgcrypto`) and Redis from Debian's
 * redis-server, each with an entry point that honours the official image's contract, and nginx for a mock webhook.
 * A stack uses them through its existing config keys (`postgresImage`, `redisImage`, `mockWebhookImage`); nothing in
 * the product knows about the toolchain.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import { runTool } from "../../lib/run-tool.js";
import { debootstrap, podmanImageExists, podmanImport } from "../images.js";
import { BUSYBOX_IMAGE } from "./node-images.js";

const ENTRYPOINTS = path.join(PROJECT_ROOT, "toolchain", "third-party");

export function postgresImageName(ctx: Pick<ToolchainContext, "pins">): string {
    return `localhost/kubernaut-e2e/postgres:${ctx.pins.postgres.imageTag}`;
}

export function redisImageName(ctx: Pick<ToolchainContext, "pins">): string {
    return `localhost/kubernaut-e2e/redis:${ctx.pins.redis.imageTag}`;
}

function installEntrypoint(rootfs: string, file: string, substitutions: Record<string, string> = {}): void {
    let text = fs.readFileSync(path.join(ENTRYPOINTS, file), "utf8");
    for (const [k, v] of Object.entries(substitutions)) text = text.replaceAll(k, v);
    fs.writeFileSync(path.join(rootfs, "usr/local/bin/docker-entrypoint.sh"), text, { mode: 0o755 });
}

export const postgresImage: ToolchainAction = {
    name: "postgres-image",
    description: "PostgreSQL (Debian's postgresql-15) as localhost/kubernaut-e2e/postgres",
    revision: 2,
    inputs: ["toolchain/third-party/postgres-entrypoint.sh"],
    present: (ctx) => podmanImageExists(ctx, postgresImageName(ctx)),
    profile: (ctx) => ({ images: { postgres: postgresImageName(ctx) } }),
    async run(ctx) {
        const { debianPackage } = ctx.pins.postgres;
        const major = debianPackage.replace(/^postgresql-/, "");
        const rootfs = path.join(ctx.layout.workDir, "postgres-rootfs");
        await debootstrap(ctx, rootfs, [debianPackage, "util-linux", "gzip"]);
        // Debian's package creates a cluster of its own; the entry point makes one in PGDATA instead.
        fs.rmSync(path.join(rootfs, "var/lib/postgresql", major), { recursive: true, force: true });
        fs.rmSync(path.join(rootfs, "etc/postgresql", major), { recursive: true, force: true });
        // Every byte is loaded into each kind node, and PostgreSQL loads its JIT (LLVM) only when it is there.
        const libs = path.join(rootfs, "usr/lib/postgresql", major, "lib");
        for (const jit of fs.readdirSync(libs).filter((f) => f.startsWith("llvmjit") || f === "bitcode"))
            fs.rmSync(path.join(libs, jit), { recursive: true, force: true });
        const usrLib = path.join(rootfs, "usr/lib");
        for (const dir of fs.readdirSync(usrLib).filter((d) => d.endsWith("-linux-gnu")))
            for (const llvm of fs.readdirSync(path.join(usrLib, dir)).filter((f) => f.startsWith("libLLVM")))
                fs.rmSync(path.join(usrLib, dir, llvm), { force: true });
        for (const junk of ["usr/share/doc", "usr/share/locale"])
            fs.rmSync(path.join(rootfs, junk), { recursive: true, force: true });
        fs.mkdirSync(path.join(rootfs, "docker-entrypoint-initdb.d"), { recursive: true });
        installEntrypoint(rootfs, "postgres-entrypoint.sh", { "@MAJOR@": major });
        await podmanImport(ctx, rootfs, postgresImageName(ctx), {
            env: {
                PATH: `/usr/lib/postgresql/${major}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
                PGDATA: "/var/lib/postgresql/data",
                LANG: "C.UTF-8",
            },
            entrypoint: ["/usr/local/bin/docker-entrypoint.sh"],
            cmd: ["postgres"],
            stopSignal: "SIGINT",
        });
    },
};

export const redisImage: ToolchainAction = {
    name: "redis-image",
    description: "Redis (Debian's redis-server) as localhost/kubernaut-e2e/redis",
    revision: 1,
    inputs: ["toolchain/third-party/redis-entrypoint.sh"],
    present: (ctx) => podmanImageExists(ctx, redisImageName(ctx)),
    profile: (ctx) => ({ images: { redis: redisImageName(ctx) } }),
    async run(ctx) {
        const rootfs = path.join(ctx.layout.workDir, "redis-rootfs");
        await debootstrap(ctx, rootfs, ["redis-server", "redis-tools"]);
        fs.mkdirSync(path.join(rootfs, "data"), { recursive: true, mode: 0o777 });
        installEntrypoint(rootfs, "redis-entrypoint.sh");
        await podmanImport(ctx, rootfs, redisImageName(ctx), {
            entrypoint: ["/usr/local/bin/docker-entrypoint.sh"],
            cmd: ["redis-server"],
            workdir: "/data",
        });
    },
};

/** Debian's nginx, for the notification lane's mock webhook (the lanes pin the official nginx image). */
export const nginxImageName = () => "localhost/kubernaut-e2e/nginx:1.22";

export const nginxImage: ToolchainAction = {
    name: "nginx-image",
    description: "nginx (Debian's nginx-light) as localhost/kubernaut-e2e/nginx, the notification lane's mock webhook",
    revision: 1,
    present: (ctx) => podmanImageExists(ctx, nginxImageName()),
    profile: () => ({ images: { mockWebhook: nginxImageName() } }),
    async run(ctx) {
        const rootfs = path.join(ctx.layout.workDir, "nginx-rootfs");
        await debootstrap(ctx, rootfs, ["nginx-light"]);
        // As the official image: only conf.d (where the lane mounts its config) serves, and logs go to the container's.
        fs.rmSync(path.join(rootfs, "etc/nginx/sites-enabled/default"), { force: true });
        for (const [log, target] of [
            ["access.log", "/dev/stdout"],
            ["error.log", "/dev/stderr"],
        ]) {
            fs.rmSync(path.join(rootfs, "var/log/nginx", log), { force: true });
            fs.symlinkSync(target, path.join(rootfs, "var/log/nginx", log));
        }
        await podmanImport(ctx, rootfs, nginxImageName(), {
            entrypoint: ["nginx", "-g", "daemon off;"],
            env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
            stopSignal: "SIGQUIT",
        });
    },
};

/** Kubernaut's `test/fixtures/execution-placeholder`, which WE's Jobs run (its Dockerfile pins busybox's digest). */
export const placeholderExecutionImageName = () => "localhost/kubernaut-e2e/placeholder-execution:v1.0.0";

export const placeholderExecutionImage: ToolchainAction = {
    name: "placeholder-execution-image",
    description: "Kubernaut's placeholder execution image (busybox as uid 1000, echoes and exits) for WE's Job specs",
    revision: 1,
    needs: ["node-images"],
    present: (ctx) => podmanImageExists(ctx, placeholderExecutionImageName()),
    profile: () => ({ images: { placeholderExecution: placeholderExecutionImageName() } }),
    async run(ctx) {
        const dir = path.join(ctx.layout.workDir, "placeholder-execution");
        fs.mkdirSync(dir, { recursive: true });
        // As Kubernaut's fixture: Job Pods enforce runAsNonRoot, so the image names a non-root user.
        const containerfile = [
            `FROM ${BUSYBOX_IMAGE}`,
            "USER 1000",
            'CMD ["echo", "kubernaut placeholder execution bundle"]',
        ];
        fs.writeFileSync(path.join(dir, "Containerfile"), `${containerfile.join("\n")}\n`);
        await runTool(ctx.podman, ["build", "--quiet", "-t", placeholderExecutionImageName(), dir], {
            doing: `build ${placeholderExecutionImageName()}`,
        });
    },
};

export const THIRD_PARTY_ACTIONS: readonly ToolchainAction[] = [
    postgresImage,
    redisImage,
    nginxImage,
    placeholderExecutionImage,
];
