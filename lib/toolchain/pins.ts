/**
 * Every version the offline toolchain builds, in one place. Each comes from a source these machines reach: the Go
 * module proxy, Debian's archive, or this project. Changing a pin changes the toolchain's cache directory (see
 * `toolchainSetId`), so two pinned sets never mix.
 *
 * Why these versions:
 * - Pulumi 3.248.0: the CLI matching `@pulumi/pulumi` ~3.248 (the last SDK line for Node 20).
 * - pulumi-kubernetes 4.25.0: the only provider module version the proxy serves here
 *   (`provider/v4@v4.0.0-20260115033456-f47bc2d6f199`, the v4.25.0 commit); `@pulumi/kubernetes` is pinned to the same
 *   version in package.json, because the engine loads a plugin only at the exact version its SDK asks for.
 * - Kubernetes 1.34: the kernel here mounts cgroup v1, which Kubernetes refuses by default from 1.35.
 * - etcd, CoreDNS, pause: what `kubeadm config images list` asks for at that Kubernetes version.
 * - containerd 2.1, runc 1.3, crictl, CNI plugins: kind v0.30.0's base image (containerd 1.x is deprecated by 1.34).
 * - kindnetd is not served by the proxy; the node uses the ptp CNI plugin with a static config instead (see
 *   `toolchain/node-image/`), which serves single-node clusters: every Kubernaut lane is one.
 */
export const PINS = {
    pulumi: { version: "3.248.0" },
    providers: {
        kubernetes: {
            version: "4.25.0",
            module: "github.com/pulumi/pulumi-kubernetes/provider/v4",
            moduleVersion: "v4.0.0-20260115033456-f47bc2d6f199",
        },
    },
    kind: { version: "v0.30.0" },
    kubernetes: { version: "v1.34.4", stagingVersion: "v0.34.4" },
    etcd: { version: "v3.6.5", imageTag: "3.6.5-0" },
    coredns: { version: "v1.12.1" },
    pause: { imageTag: "3.10.1" },
    containerd: { version: "v2.1.4" },
    runc: { version: "v1.3.0" },
    crictl: { version: "v1.34.0" },
    cniPlugins: { version: "v1.7.1", plugins: ["ptp", "host-local", "loopback", "portmap", "bridge"] },
    localPathProvisioner: { version: "v0.0.30" },
    kwok: { version: "v0.7.0" },
    debian: { suite: "bookworm", mirror: "http://deb.debian.org/debian" },
    postgres: { debianPackage: "postgresql-15", imageTag: "15" },
    /** The goose Kubernaut's db-migrate Dockerfile installs. */
    goose: { version: "v3.27.2" },
    redis: { imageTag: "7" },
} as const;

export type Pins = typeof PINS;
