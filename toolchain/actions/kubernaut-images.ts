/**
 * Local stand-ins for the remote images Kubernaut's Dockerfiles build on, so its real services build here:
 *
 * - `BUILDER_IMAGE` (UBI's go-toolset): Go from this machine, git, CA certificates and time zones from Debian, and a
 *   module cache pre-filled with every module of the pinned checkout's go.mod the proxy serves; `GOPROXY=off`, so a
 *   module that is not there fails at once instead of hanging. Its build cache is warmed by building each of
 *   Kubernaut's commands once in `/opt/app-root/src`, where its Dockerfiles build.
 * - `BASE_IMAGE` (UBI minimal): CA certificates, time zones, `useradd` and the PostgreSQL client from Debian.
 * - goose as an image of its own, for the db-migrate Dockerfile in `toolchain/ubi/`: Kubernaut's pins its goose
 *   builder to a remote image by digest, which no build argument replaces.
 *
 * Both UBI stand-ins carry the files of every package those Dockerfiles install, and their `dnf`/`microdnf`
 * (`toolchain/ubi/dnf`) says so and changes nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import { goEnv } from "../go.js";
import { buildScratchImage, debootstrap, podmanImageExists, podmanImport } from "../images.js";
import { buildDir } from "./kubernetes.js";
import { kubernautSourceDir } from "./kubernaut-source.js";

const UBI_FILES = path.join(PROJECT_ROOT, "toolchain", "ubi");
const PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** UBI's application user: uid 1001 in group root, at home in /opt/app-root/src. */
const APP_USER = "default:x:1001:0:Default Application User:/opt/app-root/src:/bin/sh";

export const builderImageName = () => "localhost/kubernaut-e2e/go-toolset:1.26";
export const baseImageName = () => "localhost/kubernaut-e2e/ubi-minimal:10";
export const gooseImageName = (ctx: Pick<ToolchainContext, "pins">) =>
    `localhost/kubernaut-e2e/goose:${ctx.pins.goose.version}`;
/** The db-migrate Dockerfile for the toolchain's images (see {@link gooseImage}). */
export const DB_MIGRATE_DOCKERFILE = path.join(UBI_FILES, "db-migrate.Dockerfile");

/** The mock LLM's Dockerfile for the toolchain's images (see {@link builderImage}'s profile). */
export const MOCK_LLM_DOCKERFILE = path.join(UBI_FILES, "mock-llm.Dockerfile");

/** RPM package names the Dockerfiles install, with a file that shows each is present. */
const BUILDER_PACKAGES = {
    git: "/usr/bin/git",
    "ca-certificates": "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    tzdata: "/usr/share/zoneinfo/Etc/UTC",
};
const BASE_PACKAGES = {
    "ca-certificates": BUILDER_PACKAGES["ca-certificates"],
    tzdata: BUILDER_PACKAGES.tzdata,
    "shadow-utils": "/usr/sbin/useradd",
    postgresql: "/usr/bin/psql",
};

/** The UBI layout on a Debian root file system: the CA bundle where RHEL keeps it, and the package stand-ins. */
function makeUbiLike(rootfs: string, packages: Readonly<Record<string, string>>): void {
    const bundle = path.join(rootfs, "etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem");
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    // A copy, not a link: `COPY --from=builder` of a link into a scratch stage would copy a dangling link.
    fs.copyFileSync(path.join(rootfs, "etc/ssl/certs/ca-certificates.crt"), bundle);
    for (const name of ["dnf", "microdnf"]) {
        fs.copyFileSync(path.join(UBI_FILES, "dnf"), path.join(rootfs, "usr/bin", name));
        fs.chmodSync(path.join(rootfs, "usr/bin", name), 0o755);
    }
    fs.mkdirSync(path.join(rootfs, "etc/kubernaut-e2e"), { recursive: true });
    fs.writeFileSync(
        path.join(rootfs, "etc/kubernaut-e2e/rpm-stand-ins"),
        Object.entries(packages)
            .map(([name, file]) => `${name} ${file}\n`)
            .join(""),
    );
    for (const [name, file] of Object.entries(packages)) {
        if (!fs.existsSync(path.join(rootfs, file))) throw new Error(`the stand-in for package ${name} lacks ${file}`);
    }
}

/** The `go` line of a go.mod, e.g. "1.26.6". */
export function goModGoVersion(goMod: string): string | undefined {
    return /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(goMod)?.[1];
}

/** Whether Go `have` (e.g. "go1.26.8") is at least `want` (e.g. "1.26.6"). */
export function goVersionAtLeast(have: string, want: string): boolean {
    const parts = (v: string) =>
        v
            .replace(/^go/, "")
            .split(".")
            .map((n) => Number.parseInt(n, 10) || 0);
    const [a, b] = [parts(have), parts(want)];
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return true;
}

/** Every `require` of a go.mod (via `go mod edit -json`, which parses it as Go does). */
async function requirements(dir: string): Promise<string[]> {
    const result = await runTool("go", ["mod", "edit", "-json"], { cwd: dir, doing: "read Kubernaut's go.mod" });
    const mod = JSON.parse(result.stdout) as { Require?: Array<{ Path: string; Version: string }> };
    return (mod.Require ?? []).map((r) => `${r.Path}@${r.Version}`);
}

/**
 * Downloads each requirement into `modCache`, from the toolchain's shared cache first and the proxy after; returns
 * those the proxy refuses (no Kubernaut command but the ones that import them needs them).
 */
async function prefillModules(ctx: ToolchainContext, source: string, modCache: string): Promise<string[]> {
    const env = {
        ...goEnv(ctx.layout),
        GOMODCACHE: modCache,
        GOPROXY: `file://${path.join(ctx.layout.goModCache, "cache", "download")},https://proxy.golang.org`,
    };
    const refused: string[] = [];
    for (const module of await requirements(source)) {
        const result = await runTool("go", ["mod", "download", module], {
            cwd: source,
            env,
            doing: `download ${module}`,
            allowFailure: true,
        });
        if (result.exitCode !== 0) refused.push(module);
    }
    return refused;
}

/** Kubernaut's commands (`cmd/<name>` with a main package). */
function commands(source: string): string[] {
    return fs
        .readdirSync(path.join(source, "cmd"), { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(source, "cmd", d.name, "main.go")))
        .map((d) => d.name)
        .sort();
}

/**
 * Builds every command once inside `image` as its user, where the Dockerfiles build, and commits the result (the
 * warmed build cache) as `name`. Returns the commands that do not build here, with the reason's last line.
 */
async function warmBuildCache(
    ctx: ToolchainContext,
    image: string,
    name: string,
    source: string,
): Promise<Record<string, string>> {
    const container = `ke2e-builder-warm-${process.pid}`;
    const script = [
        "set -u",
        "cp -a /kubernaut/. /opt/app-root/src/",
        "cd /opt/app-root/src",
        "failed=''",
        `for c in ${commands(source).join(" ")}; do`,
        '  if out=$(CGO_ENABLED=0 go build -mod=mod -o /dev/null ./cmd/$c 2>&1); then echo "built $c"; else echo "failed $c: $(printf \'%s\' "$out" | tail -n 1)"; fi',
        "done",
        "rm -rf /opt/app-root/src/* /opt/app-root/src/.[!.]* 2>/dev/null; true",
    ].join("\n");
    await runTool(ctx.podman, ["rm", "-f", container], {
        doing: "remove a stale warm-up container",
        allowFailure: true,
    });
    try {
        const run = await runTool(
            ctx.podman,
            ["run", "--name", container, "-v", `${source}:/kubernaut:ro`, image, "sh", "-c", script],
            {
                doing: "build Kubernaut's commands in the builder image",
            },
        );
        await runTool(ctx.podman, ["commit", "--quiet", container, name], { doing: `commit ${name}` });
        const failed: Record<string, string> = {};
        for (const line of run.stdout.split("\n")) {
            const m = /^failed (\S+): (.*)$/.exec(line);
            if (m) failed[m[1]] = m[2];
        }
        return failed;
    } finally {
        await runTool(ctx.podman, ["rm", "-f", container], {
            doing: "remove the warm-up container",
            allowFailure: true,
        });
    }
}

export const builderImage: ToolchainAction = {
    name: "builder-image",
    description: `Kubernaut's BUILDER_IMAGE stand-in (${builderImageName()}): Go, git, its modules, a warm build cache`,
    revision: 1,
    needs: ["kubernaut-source"],
    inputs: ["toolchain/ubi/dnf"],
    present: (ctx) => podmanImageExists(ctx, builderImageName()),
    // Kubernaut's mock LLM Dockerfile names its builder by digest only: ours builds it on this image (and the base).
    profile: () => ({
        images: { goBuilder: builderImageName() },
        dockerfiles: { "mock-llm": path.relative(PROJECT_ROOT, MOCK_LLM_DOCKERFILE) },
    }),
    async run(ctx) {
        const source = kubernautSourceDir(ctx.layout);
        const goRoot = (await runTool("go", ["env", "GOROOT"], { doing: "find this machine's Go" })).stdout.trim();
        const goVersion = (
            await runTool("go", ["env", "GOVERSION"], { doing: "find this machine's Go version" })
        ).stdout.trim();
        const wanted = goModGoVersion(fs.readFileSync(path.join(source, "go.mod"), "utf8"));
        if (wanted && !goVersionAtLeast(goVersion, wanted))
            throw new Error(`Kubernaut's go.mod asks for Go ${wanted}; this machine's is ${goVersion} (${goRoot})`);

        const rootfs = path.join(ctx.layout.workDir, "builder-rootfs");
        await debootstrap(ctx, rootfs, ["ca-certificates", "tzdata", "git"]);
        makeUbiLike(rootfs, BUILDER_PACKAGES);
        fs.appendFileSync(path.join(rootfs, "etc/passwd"), `${APP_USER}\n`);
        await runTool("cp", ["-a", `${goRoot}/.`, path.join(rootfs, "usr/local/go")], {
            doing: `copy Go ${goVersion} into the builder image`,
        });

        const appRoot = path.join(rootfs, "opt/app-root");
        for (const dir of ["src", "go/pkg/mod", ".cache/go-build"])
            fs.mkdirSync(path.join(appRoot, dir), { recursive: true });
        const refused = await prefillModules(ctx, source, path.join(appRoot, "go/pkg/mod"));
        if (refused.length)
            ctx.log(
                `toolchain: builder-image: the module proxy refuses ${refused.join(", ")}; commands importing them will not build`,
            );
        fs.writeFileSync(
            path.join(rootfs, "etc/kubernaut-e2e/modules-not-served"),
            refused.map((m) => `${m}\n`).join(""),
        );
        // The modules are read-only, as Go leaves them; the user may still add to the cache's directories.
        await runTool("chown", ["-R", "1001:0", appRoot], { doing: "give /opt/app-root to uid 1001" });

        const unwarmed = `${builderImageName()}-unwarmed`;
        await podmanImport(ctx, rootfs, unwarmed, {
            env: {
                PATH: `/usr/local/go/bin:/opt/app-root/go/bin:${PATH_ENV}`,
                HOME: "/opt/app-root/src",
                GOPATH: "/opt/app-root/go",
                GOMODCACHE: "/opt/app-root/go/pkg/mod",
                GOCACHE: "/opt/app-root/.cache/go-build",
                GOPROXY: "off",
                GOTOOLCHAIN: "local",
            },
            user: "1001",
            workdir: "/opt/app-root/src",
        });
        try {
            const failed = await warmBuildCache(ctx, unwarmed, builderImageName(), source);
            for (const [command, reason] of Object.entries(failed))
                ctx.log(`toolchain: builder-image: cmd/${command} does not build here: ${reason}`);
        } finally {
            await runTool(ctx.podman, ["rmi", unwarmed], { doing: `untag ${unwarmed}`, allowFailure: true });
        }
        fs.rmSync(rootfs, { recursive: true, force: true });
    },
};

export const baseImage: ToolchainAction = {
    name: "base-image",
    description: `Kubernaut's BASE_IMAGE stand-in (${baseImageName()}): CA certificates, time zones, useradd, psql`,
    revision: 1,
    inputs: ["toolchain/ubi/dnf"],
    present: (ctx) => podmanImageExists(ctx, baseImageName()),
    profile: () => ({ images: { ubiBase: baseImageName() } }),
    async run(ctx) {
        const rootfs = path.join(ctx.layout.workDir, "base-rootfs");
        await debootstrap(ctx, rootfs, ["ca-certificates", "tzdata", "postgresql-client-15"]);
        makeUbiLike(rootfs, BASE_PACKAGES);
        await podmanImport(ctx, rootfs, baseImageName(), { env: { PATH: PATH_ENV } });
        fs.rmSync(rootfs, { recursive: true, force: true });
    },
};

export const gooseImage: ToolchainAction = {
    name: "goose-image",
    description: "goose as an image (localhost/kubernaut-e2e/goose), for toolchain/ubi/db-migrate.Dockerfile",
    revision: 1,
    needs: ["goose"],
    present: (ctx) => podmanImageExists(ctx, gooseImageName(ctx)),
    // Relative to the project: every checkout resolves its own copy.
    profile: () => ({ dockerfiles: { "db-migrate": path.relative(PROJECT_ROOT, DB_MIGRATE_DOCKERFILE) } }),
    run: (ctx) =>
        buildScratchImage(ctx, gooseImageName(ctx), [
            { source: path.join(buildDir(ctx, "goose"), "goose"), target: "/usr/local/bin/goose" },
        ]),
};

export const KUBERNAUT_IMAGE_ACTIONS: readonly ToolchainAction[] = [builderImage, baseImage, gooseImage];
