/** Facts shared by Kubernaut's Kind lanes (inventory §3), for the stacks that reproduce them. */

/** The kubeadm patches every pinned Kubernaut config carries ("standard"). */
export const STANDARD_KUBEADM = {
    apiServerExtraArgs: { "max-requests-inflight": "800", "max-mutating-requests-inflight": "400" },
    controllerManagerExtraArgs: { "kube-api-qps": "100", "kube-api-burst": "200" },
} as const;

/** Where instrumented binaries write coverage inside the node; the same path in the mount, hostPath and GOCOVERDIR. */
export const NODE_COVERAGE_DIR = "/coverdata";

/** Go's name for the host architecture, as Kubernaut passes `--build-arg GOARCH`. */
export function goArch(arch: string = process.arch): string {
    return { x64: "amd64", arm64: "arm64", arm: "arm", ppc64: "ppc64le", s390x: "s390x" }[arch] ?? arch;
}
