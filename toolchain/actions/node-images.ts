/**
 * The images a kind node runs before any workload: the control plane under the names kubeadm asks for
 * (`kubeadm config images list`), kube-proxy, CoreDNS and etcd, and ours (pause, the local-path provisioner and its
 * helper). All are made from the binaries built earlier; each is also saved as an archive for the node's containerd.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import {
    buildScratchImage,
    debootstrap,
    podmanImageExists,
    podmanImport,
    saveArchive,
    type ImageConfig,
    type ScratchFile,
} from "../images.js";
import { buildDir } from "./kubernetes.js";

/** Debian's static busybox with every applet: the storage helper, and a base for small images (the smoke stack's). */
export const BUSYBOX_IMAGE = "localhost/kubernaut-e2e/local-path-helper:busybox";

const PATH_ENV = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };

interface NodeImage {
    readonly name: string;
    readonly make: (ctx: ToolchainContext) => Promise<void>;
}

function scratch(
    name: (ctx: ToolchainContext) => string,
    files: (ctx: ToolchainContext) => ScratchFile[],
    config: ImageConfig = { env: PATH_ENV },
) {
    return (ctx: ToolchainContext): NodeImage => ({
        name: name(ctx),
        make: (c) => buildScratchImage(c, name(c), files(c), config),
    });
}

const controlPlane = (component: string) =>
    scratch(
        (ctx) => `registry.k8s.io/${component}:${ctx.pins.kubernetes.version}`,
        (ctx) => [{ source: path.join(buildDir(ctx, "kubernetes"), component), target: `/usr/local/bin/${component}` }],
    );

/** kube-proxy programs iptables: a Debian base with the legacy backend, the one the node's entrypoint picks. */
function kubeProxy(ctx: ToolchainContext): NodeImage {
    const name = `registry.k8s.io/kube-proxy:${ctx.pins.kubernetes.version}`;
    return {
        name,
        async make(c) {
            const rootfs = path.join(c.layout.workDir, "kube-proxy-rootfs");
            await debootstrap(c, rootfs, ["iptables", "conntrack", "kmod"]);
            for (const family of ["iptables", "ip6tables"]) {
                for (const tool of ["", "-restore", "-save"]) {
                    const link = path.join(rootfs, "etc", "alternatives", `${family}${tool}`);
                    fs.rmSync(link, { force: true });
                    fs.symlinkSync(`/usr/sbin/${family}-legacy${tool}`, link);
                }
            }
            fs.copyFileSync(
                path.join(buildDir(c, "kubernetes"), "kube-proxy"),
                path.join(rootfs, "usr", "local", "bin", "kube-proxy"),
            );
            fs.chmodSync(path.join(rootfs, "usr", "local", "bin", "kube-proxy"), 0o755);
            await podmanImport(c, rootfs, name, { env: PATH_ENV });
        },
    };
}

/**
 * The local-path provisioner's helper pods run `sh` with `mkdir` and `rm`: Debian's static busybox is enough. With
 * every applet linked it is also a base image to build small test images FROM (the smoke stack's api runs `httpd`).
 */
function localPathHelper(): NodeImage {
    const name = BUSYBOX_IMAGE;
    return {
        name,
        async make(ctx) {
            const dir = path.join(ctx.layout.workDir, "busybox");
            fs.rmSync(dir, { recursive: true, force: true });
            fs.mkdirSync(dir, { recursive: true });
            await runTool("apt-get", ["download", "busybox-static"], {
                doing: "download Debian's busybox-static",
                cwd: dir,
            });
            const deb = fs.readdirSync(dir).find((f) => f.endsWith(".deb"));
            if (!deb) throw new Error("apt-get download busybox-static produced no package");
            const rootfs = path.join(dir, "rootfs");
            await runTool("dpkg-deb", ["-x", path.join(dir, deb), rootfs], { doing: `unpack ${deb}` });
            const applets = (
                await runTool(path.join(rootfs, "bin", "busybox"), ["--list"], { doing: "list busybox's applets" })
            ).stdout
                .split("\n")
                .filter((a) => /^[\w.[-]+$/.test(a) && a !== "busybox");
            for (const applet of applets)
                if (!fs.existsSync(path.join(rootfs, "bin", applet)))
                    fs.symlinkSync("busybox", path.join(rootfs, "bin", applet));
            fs.mkdirSync(path.join(rootfs, "tmp"), { mode: 0o1777 });
            await podmanImport(ctx, rootfs, name, { env: { PATH: "/bin" } });
        },
    };
}

/** The node's sandbox image, which also runs the enrichment fixtures' Pods (Kubernaut's `pause:3.9`). */
export const pauseImageName = (ctx: Pick<ToolchainContext, "pins">) =>
    `localhost/kubernaut-e2e/pause:${ctx.pins.pause.imageTag}`;

export function nodeImageList(ctx: ToolchainContext): NodeImage[] {
    const { pins } = ctx;
    return [
        ...["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((c) => controlPlane(c)(ctx)),
        kubeProxy(ctx),
        scratch(
            () => `registry.k8s.io/etcd:${pins.etcd.imageTag}`,
            (c) => [{ source: path.join(buildDir(c, "etcd"), "etcd"), target: "/usr/local/bin/etcd" }],
        )(ctx),
        scratch(
            () => `registry.k8s.io/coredns/coredns:${pins.coredns.version}`,
            (c) => [{ source: path.join(buildDir(c, "coredns"), "coredns"), target: "/coredns" }],
            { entrypoint: ["/coredns"] },
        )(ctx),
        scratch(
            () => pauseImageName(ctx),
            (c) => [{ source: path.join(buildDir(c, "pause"), "pause"), target: "/pause" }],
            { entrypoint: ["/pause"] },
        )(ctx),
        scratch(
            () => `localhost/kubernaut-e2e/local-path-provisioner:${pins.localPathProvisioner.version}`,
            (c) => [
                {
                    source: path.join(buildDir(c, "local-path-provisioner"), "local-path-provisioner"),
                    target: "/usr/local/bin/local-path-provisioner",
                },
            ],
        )(ctx),
        localPathHelper(),
    ];
}

/** The archive of each node image, as `saveArchive` names it. */
export function nodeImageArchives(ctx: ToolchainContext): string[] {
    return nodeImageList(ctx).map((image) =>
        path.join(ctx.layout.imagesDir, `${image.name.replace(/[^a-zA-Z0-9_.-]+/g, "_")}.tar`),
    );
}

export const nodeImages: ToolchainAction = {
    name: "node-images",
    description: "the control plane, kube-proxy, etcd, CoreDNS, pause and storage images a kind node pre-loads",
    revision: 2,
    needs: ["kubernetes", "etcd", "coredns", "pause", "local-path-provisioner"],
    profile: (ctx) => ({ images: { busybox: BUSYBOX_IMAGE, pause: pauseImageName(ctx) } }),
    async present(ctx) {
        for (const image of nodeImageList(ctx)) if (!(await podmanImageExists(ctx, image.name))) return false;
        return nodeImageArchives(ctx).every((a) => fs.existsSync(a));
    },
    async run(ctx) {
        for (const image of nodeImageList(ctx)) {
            ctx.log(`  ${image.name}`);
            await image.make(ctx);
            await saveArchive(ctx, image.name);
        }
    },
};
