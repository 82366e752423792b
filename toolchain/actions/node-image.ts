/**
 * The kind node image `localhost/kubernaut-e2e/kind-node:<kubernetes version>`, assembled offline: `kind build
 * node-image` cannot work without a registry (it pulls its base image and fetches images with `ctr content fetch`).
 * It does what kind's node image build does, with our own files (`toolchain/node-image/files/`):
 *
 * 1. a Debian root file system with the packages kind's base image has, systemd set up to run in a container;
 * 2. containerd, runc, crictl, the CNI plugins and kubeadm, kubelet and kubectl, with their units and config;
 * 3. `/kind/version` and `/kind/manifests/` (the CNI note and the default StorageClass), as kind reads them;
 * 4. every node image pre-imported into containerd's `k8s.io` namespace and pinned, so nothing is pulled. A
 *    containerd of the toolchain runs on the host against the root file system's `/var/lib/containerd` for that;
 *    images are stored unpacked-on-demand (`--no-unpack`), because unpacked overlay snapshots hold whiteout devices
 *    that would not survive becoming an image layer.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runTool } from "../../lib/run-tool.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import { debootstrap, podmanImageExists, podmanImport } from "../images.js";
import { buildDir } from "./kubernetes.js";
import { nodeImageArchives } from "./node-images.js";

const FILES = path.join(PROJECT_ROOT, "toolchain", "node-image", "files");

/** What kind's base image installs, less what only other setups use (NFS, iSCSI, fuse-overlayfs). */
export const NODE_PACKAGES = [
    "systemd",
    "systemd-sysv",
    "conntrack",
    "iptables",
    "nftables",
    "iproute2",
    "ethtool",
    "util-linux",
    "mount",
    "kmod",
    "libseccomp2",
    "pigz",
    "bash",
    "ca-certificates",
    "procps",
];

export function nodeImageName(ctx: Pick<ToolchainContext, "pins">): string {
    return `localhost/kubernaut-e2e/kind-node:${ctx.pins.kubernetes.version}`;
}

/** The node image as a stack's `nodeImage` takes it: pinned by the digest Podman recorded. */
export async function pinnedNodeImage(ctx: ToolchainContext): Promise<string | undefined> {
    const name = nodeImageName(ctx);
    const result = await runTool(ctx.podman, ["image", "inspect", "--format", "{{.Digest}}", name], {
        doing: "inspect the node image",
        allowFailure: true,
    });
    return result.exitCode === 0 && result.stdout.startsWith("sha256:") ? `${name}@${result.stdout.trim()}` : undefined;
}

function copyTree(from: string, to: string, substitutions: Readonly<Record<string, string>>): void {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        const source = path.join(from, entry.name);
        const target = path.join(to, entry.name);
        if (entry.isDirectory()) {
            fs.mkdirSync(target, { recursive: true });
            copyTree(source, target, substitutions);
        } else {
            let text = fs.readFileSync(source, "utf8");
            for (const [marker, value] of Object.entries(substitutions)) text = text.replaceAll(marker, value);
            fs.writeFileSync(target, text, { mode: fs.statSync(source).mode & 0o777 });
        }
    }
}

function install(source: string, target: string): void {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
    fs.chmodSync(target, 0o755);
}

/** systemd in a container: no units that expect hardware, a console or udev; ours enabled. */
function prepareSystemd(rootfs: string): void {
    const rm = (rel: string) => fs.rmSync(path.join(rootfs, rel), { recursive: true, force: true });
    const emptyDir = (rel: string) => {
        const dir = path.join(rootfs, rel);
        if (fs.existsSync(dir))
            for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    };
    rm("lib/systemd/system/sysinit.target.wants/systemd-tmpfiles-setup.service");
    for (const dir of [
        "lib/systemd/system/multi-user.target.wants",
        "lib/systemd/system/local-fs.target.wants",
        "lib/systemd/system/basic.target.wants",
    ])
        emptyDir(dir);
    const etcSystemd = path.join(rootfs, "etc/systemd/system");
    for (const d of fs.readdirSync(etcSystemd)) if (d.endsWith(".wants")) emptyDir(path.join("etc/systemd/system", d));
    const sockets = path.join(rootfs, "lib/systemd/system/sockets.target.wants");
    if (fs.existsSync(sockets))
        for (const f of fs.readdirSync(sockets))
            if (/udev|initctl/.test(f)) fs.rmSync(path.join(sockets, f), { force: true });
    fs.appendFileSync(path.join(rootfs, "etc/systemd/journald.conf"), "ReadKMsg=no\n");
    fs.symlinkSync("/dev/null", path.join(etcSystemd, "systemd-binfmt.service"));
    const wants = path.join(etcSystemd, "multi-user.target.wants");
    fs.mkdirSync(wants, { recursive: true });
    for (const unit of ["containerd.service", "kubelet.service", "kubernaut-e2e-mounts.service"])
        fs.symlinkSync(`/etc/systemd/system/${unit}`, path.join(wants, unit));
}

/** Imports `archives` into `<rootfs>/var/lib/containerd`, namespace k8s.io, pinned, with a containerd on the host. */
async function preloadImages(ctx: ToolchainContext, rootfs: string, archives: readonly string[]): Promise<void> {
    const bin = buildDir(ctx, "containerd");
    const run = path.join(ctx.layout.workDir, "preload-containerd");
    fs.rmSync(run, { recursive: true, force: true });
    fs.mkdirSync(run, { recursive: true });
    const socket = path.join(run, "containerd.sock");
    fs.writeFileSync(
        path.join(run, "config.toml"),
        [
            "version = 2",
            `root = ${JSON.stringify(path.join(rootfs, "var/lib/containerd"))}`,
            `state = ${JSON.stringify(path.join(run, "state"))}`,
            // Only the content and metadata stores are needed; nothing runs.
            `disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime"]`,
            "[grpc]",
            `  address = ${JSON.stringify(socket)}`,
            "[ttrpc]",
            `  address = ${JSON.stringify(`${socket}.ttrpc`)}`,
        ].join("\n"),
    );
    const daemon = spawn(path.join(bin, "containerd"), ["--config", path.join(run, "config.toml")], {
        stdio: ["ignore", "ignore", fs.openSync(path.join(run, "containerd.log"), "w")],
    });
    const ctr = (args: string[], doing: string) =>
        runTool(path.join(bin, "ctr"), ["--address", socket, "--namespace", "k8s.io", ...args], { doing });
    try {
        for (let i = 0; !fs.existsSync(socket); i++) {
            if (i > 100 || daemon.exitCode !== null)
                throw new Error(
                    `containerd for the image pre-load did not start; see ${path.join(run, "containerd.log")}`,
                );
            await sleep(100);
        }
        for (const archive of archives)
            await ctr(
                ["images", "import", "--no-unpack", archive],
                `import ${path.basename(archive)} into the node's containerd`,
            );
        const names = (await ctr(["images", "ls", "-q"], "list the node's images")).stdout.split("\n").filter(Boolean);
        // Pinned images are never garbage-collected by the kubelet.
        for (const name of names)
            await ctr(["images", "label", name, "io.cri-containerd.pinned=pinned"], `pin ${name}`);
        ctx.log(`  pre-loaded ${names.length} images`);
    } finally {
        daemon.kill("SIGTERM");
        await new Promise((resolve) => daemon.once("exit", resolve));
    }
}

export const nodeImage: ToolchainAction = {
    name: "node-image",
    description: "the kind node image (localhost/kubernaut-e2e/kind-node:<version>) in Podman's store",
    revision: 1,
    needs: ["kubernetes", "containerd", "runc", "crictl", "cni-plugins", "node-images"],
    inputs: ["toolchain/node-image/files"],
    present: (ctx) => podmanImageExists(ctx, nodeImageName(ctx)),
    profile: async (ctx) => ({ nodeImage: await pinnedNodeImage(ctx) }),
    async run(ctx) {
        const { pins } = ctx;
        const rootfs = path.join(ctx.layout.workDir, "node-rootfs");
        await debootstrap(ctx, rootfs, NODE_PACKAGES);
        prepareSystemd(rootfs);
        copyTree(FILES, rootfs, {
            "@PAUSE_TAG@": pins.pause.imageTag,
            "@LOCAL_PATH_TAG@": pins.localPathProvisioner.version,
        });
        fs.writeFileSync(path.join(rootfs, "kind/version"), `${pins.kubernetes.version}\n`);
        fs.mkdirSync(path.join(rootfs, "etc/kubernetes/manifests"), { recursive: true });
        for (const c of ["kubeadm", "kubelet", "kubectl"])
            install(path.join(buildDir(ctx, "kubernetes"), c), path.join(rootfs, "usr/bin", c));
        for (const c of ["containerd", "containerd-shim-runc-v2", "ctr"])
            install(path.join(buildDir(ctx, "containerd"), c), path.join(rootfs, "usr/local/bin", c));
        install(path.join(buildDir(ctx, "crictl"), "crictl"), path.join(rootfs, "usr/local/bin/crictl"));
        install(path.join(buildDir(ctx, "runc"), "runc"), path.join(rootfs, "usr/local/sbin/runc"));
        for (const p of pins.cniPlugins.plugins)
            install(path.join(buildDir(ctx, "cni-plugins"), p), path.join(rootfs, "opt/cni/bin", p));
        await preloadImages(ctx, rootfs, nodeImageArchives(ctx));
        await podmanImport(ctx, rootfs, nodeImageName(ctx), {
            env: { container: "docker" },
            stopSignal: "SIGRTMIN+3",
            entrypoint: ["/usr/local/bin/entrypoint", "/sbin/init"],
        });
    },
};
