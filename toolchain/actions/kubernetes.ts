/**
 * kind and everything a kind node runs, built from Go modules: the Kubernetes binaries, etcd, containerd, runc,
 * crictl, the CNI plugins, CoreDNS, the local-path provisioner, kwok (for simulated clusters), and the pause binary
 * (a few lines of C of our own). Each lands in `<set>/build/<action>/`; the image actions package them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { runTool } from "../../lib/run-tool.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import { copyModule, goBuild, goCompile, goDownload, goEnv, ldflags, writeWrapperModule } from "../go.js";

/** `<set>/build/<action>`: where an action's binaries go. */
export function buildDir(ctx: Pick<ToolchainContext, "layout">, action: string): string {
    return path.join(ctx.layout.setDir, "build", action);
}

function allExist(dir: string, files: readonly string[]): boolean {
    return files.every((f) => fs.existsSync(path.join(dir, f)));
}

/** An action that `go install`s packages of one module whose go.mod has no `replace`. */
export function goInstall(
    name: string,
    description: string,
    module: string,
    version: (ctx: ToolchainContext) => string,
    packages: readonly string[],
    options: {
        versionVars?: (v: string) => Record<string, string>;
        cgo?: boolean;
        tags?: string[];
        /** The binaries it installs. @default - each package's last path element */
        binaries?: string[];
    } = {},
): ToolchainAction {
    const binaries = options.binaries ?? packages.map((p) => path.basename(p === "." ? module : p));
    return {
        name,
        description,
        revision: 1,
        present: (ctx) => allExist(buildDir(ctx, name), binaries),
        async run(ctx) {
            const v = version(ctx);
            const out = buildDir(ctx, name);
            fs.mkdirSync(out, { recursive: true });
            const args = ["install", "-trimpath", "-ldflags", ldflags(options.versionVars?.(v))];
            if (options.tags?.length) args.push("-tags", options.tags.join(","));
            args.push(...packages.map((p) => `${p === "." ? module : `${module}/${p}`}@${v}`));
            // `go install module@version` has no go.mod to list packages from up front: the count has no total.
            await goCompile(ctx, args, {
                doing: `install ${module}@${v}`,
                cwd: ctx.layout.setDir,
                env: { ...goEnv(ctx.layout, options.cgo), GOBIN: out },
            });
        },
    };
}

export const kind = goInstall("kind", "kind (sigs.k8s.io/kind)", "sigs.k8s.io/kind", (ctx) => ctx.pins.kind.version, [
    ".",
]);

const KUBERNETES_COMMANDS = [
    "kubeadm",
    "kubelet",
    "kubectl",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kube-proxy",
] as const;

export const kubernetes: ToolchainAction = {
    name: "kubernetes",
    description: `Kubernetes binaries (${KUBERNETES_COMMANDS.join(", ")})`,
    revision: 1,
    present: (ctx) => allExist(buildDir(ctx, "kubernetes"), KUBERNETES_COMMANDS),
    async run(ctx) {
        const { version, stagingVersion } = ctx.pins.kubernetes;
        const upstream = await goDownload(ctx.layout, "k8s.io/kubernetes", version);
        // k8s.io/kubernetes replaces each k8s.io/* staging module by a directory of its own repository; the wrapper
        // replaces them by the published modules of the same release instead.
        const staging = [
            ...fs
                .readFileSync(path.join(upstream, "go.mod"), "utf8")
                .matchAll(/^\s+(k8s\.io\/[a-z0-9-]+) => \.\/staging\//gm),
        ].map((m) => m[1]);
        const dir = await writeWrapperModule(
            ctx.layout,
            path.join(ctx.layout.workDir, "kubernetes"),
            {
                name: "kubernetes",
                goVersion: "1.24.0",
                require: { "k8s.io/kubernetes": version },
                replace: Object.fromEntries(staging.map((m) => [m, `${m} ${stagingVersion}`])),
            },
            KUBERNETES_COMMANDS.map((c) => `k8s.io/kubernetes/cmd/${c}@${version}`),
        );
        const [major, minor] = version.replace(/^v/, "").split(".");
        // kubeadm refuses binaries that do not say which release they are.
        const versionVars = Object.fromEntries(
            ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"].flatMap((pkg) => [
                [`${pkg}.gitVersion`, version],
                [`${pkg}.gitMajor`, major],
                [`${pkg}.gitMinor`, minor],
                [`${pkg}.gitTreeState`, "clean"],
            ]),
        );
        await goBuild(ctx, {
            dir,
            packages: KUBERNETES_COMMANDS.map((c) => `k8s.io/kubernetes/cmd/${c}`),
            output: `${buildDir(ctx, "kubernetes")}/`,
            versionVars,
        });
    },
};

export const etcd: ToolchainAction = {
    name: "etcd",
    description: "etcd (go.etcd.io/etcd/server/v3)",
    revision: 1,
    present: (ctx) => allExist(buildDir(ctx, "etcd"), ["etcd"]),
    async run(ctx) {
        const v = ctx.pins.etcd.version;
        // etcd's server module replaces its sibling modules by directories; the wrapper requires their releases and
        // calls the server's entry point, as etcd's own main package does.
        const dir = await writeWrapperModule(ctx.layout, path.join(ctx.layout.workDir, "etcd"), {
            name: "etcd",
            goVersion: "1.24",
            require: Object.fromEntries(
                ["api/v3", "client/pkg/v3", "client/v3", "pkg/v3", "server/v3"].map((m) => [`go.etcd.io/etcd/${m}`, v]),
            ),
            files: {
                "main.go":
                    'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n',
            },
        });
        await goBuild(ctx, { dir, packages: ["."], output: path.join(buildDir(ctx, "etcd"), "etcd") });
    },
};

const CONTAINERD_COMMANDS = ["containerd", "containerd-shim-runc-v2", "ctr"];

export const containerd: ToolchainAction = {
    name: "containerd",
    description: "containerd, its runc shim and ctr",
    revision: 1,
    present: (ctx) => allExist(buildDir(ctx, "containerd"), CONTAINERD_COMMANDS),
    async run(ctx) {
        const v = ctx.pins.containerd.version;
        // Its go.mod has `exclude` directives, which hold only for the main module: build inside a copy.
        const dir = await copyModule(
            ctx.layout,
            "github.com/containerd/containerd/v2",
            v,
            path.join(ctx.layout.workDir, "containerd"),
        );
        await goBuild(ctx, {
            dir,
            packages: CONTAINERD_COMMANDS.map((c) => `./cmd/${c}`),
            output: `${buildDir(ctx, "containerd")}/`,
            tags: ["no_aufs", "no_zfs", "no_btrfs", "no_devmapper"],
            versionVars: { "github.com/containerd/containerd/v2/version.Version": v },
        });
    },
};

// runc's nsenter is C: cgo, with Debian's libseccomp-dev for seccomp filters.
export const runc = goInstall(
    "runc",
    "runc (cgo, seccomp)",
    "github.com/opencontainers/runc",
    (ctx) => ctx.pins.runc.version,
    ["."],
    {
        cgo: true,
        tags: ["seccomp"],
        versionVars: (v) => ({ "main.version": v.replace(/^v/, "") }),
    },
);

export const crictl = goInstall(
    "crictl",
    "crictl (sigs.k8s.io/cri-tools)",
    "sigs.k8s.io/cri-tools",
    (ctx) => ctx.pins.crictl.version,
    ["cmd/crictl"],
    {
        versionVars: (v) => ({ "sigs.k8s.io/cri-tools/pkg/version.Version": v }),
    },
);

export const cniPlugins: ToolchainAction = {
    name: "cni-plugins",
    description: "CNI plugins (ptp, host-local, loopback, portmap, bridge)",
    revision: 1,
    present: (ctx) => allExist(buildDir(ctx, "cni-plugins"), ctx.pins.cniPlugins.plugins),
    async run(ctx) {
        const where: Record<string, string> = {
            ptp: "main",
            bridge: "main",
            loopback: "main",
            "host-local": "ipam",
            portmap: "meta",
        };
        const { version, plugins } = ctx.pins.cniPlugins;
        await goInstall(
            "cni-plugins",
            "",
            "github.com/containernetworking/plugins",
            () => version,
            plugins.map((p) => `plugins/${where[p]}/${p}`),
        ).run(ctx);
    },
};

export const coredns = goInstall(
    "coredns",
    "CoreDNS",
    "github.com/coredns/coredns",
    (ctx) => ctx.pins.coredns.version,
    ["."],
);

export const localPathProvisioner = goInstall(
    "local-path-provisioner",
    "the local-path provisioner (kind's default StorageClass)",
    "github.com/rancher/local-path-provisioner",
    (ctx) => ctx.pins.localPathProvisioner.version,
    ["."],
);

export const kwok = goInstall(
    "kwok",
    "kwok, for clusters whose nodes are simulated",
    "sigs.k8s.io/kwok",
    (ctx) => ctx.pins.kwok.version,
    ["cmd/kwok"],
);

/** Our own pause: the sandbox process of every Pod, which only waits for a signal. */
export const PAUSE_SOURCE = path.join(PROJECT_ROOT, "toolchain", "node-image", "pause.c");

export const pause: ToolchainAction = {
    name: "pause",
    description: "the Pod sandbox binary (toolchain/node-image/pause.c, static)",
    revision: 1,
    inputs: ["toolchain/node-image/pause.c"],
    present: (ctx) => allExist(buildDir(ctx, "pause"), ["pause"]),
    async run(ctx) {
        const out = buildDir(ctx, "pause");
        fs.mkdirSync(out, { recursive: true });
        await runTool("gcc", ["-Os", "-static", "-o", path.join(out, "pause"), PAUSE_SOURCE], {
            doing: "compile pause.c (needs gcc and libc6-dev)",
        });
        await runTool("strip", [path.join(out, "pause")], { doing: "strip pause" });
    },
};

export const KUBERNETES_ACTIONS: readonly ToolchainAction[] = [
    kind,
    kubernetes,
    etcd,
    containerd,
    runc,
    crictl,
    cniPlugins,
    coredns,
    localPathProvisioner,
    kwok,
    pause,
];
