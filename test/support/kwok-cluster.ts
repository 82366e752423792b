/**
 * A Kubernetes cluster whose node is simulated, from the offline toolchain's binaries: etcd, kube-apiserver,
 * kube-controller-manager and kube-scheduler run as host processes, and kwok plays one big node, making every Pod
 * Ready (and every Job's Pod Succeeded) without running it. For lanes at a scale a real cluster on this machine cannot
 * hold; used as an existing cluster (`cluster` config).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { execa, type ResultPromise } from "execa";
import { stringify } from "yaml";
import { freePort } from "./ports.js";

export interface KwokCluster {
    readonly kubeconfig: string;
    readonly context: string;
    stop(): Promise<void>;
}

/** The node kwok plays, and the volumes PostgreSQL's claims bind to (no provisioner runs). */
function fixtures(volumes: number): Record<string, unknown>[] {
    return [
        {
            apiVersion: "v1",
            kind: "Node",
            metadata: {
                name: "kwok-node-0",
                annotations: { "kwok.x-k8s.io/node": "fake" },
                labels: { "kubernetes.io/hostname": "kwok-node-0", type: "kwok" },
            },
            status: {
                allocatable: { cpu: "1000", memory: "4Ti", pods: "5000" },
                capacity: { cpu: "1000", memory: "4Ti", pods: "5000" },
            },
        },
        {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
            provisioner: "kubernetes.io/no-provisioner",
            volumeBindingMode: "WaitForFirstConsumer",
        },
        ...Array.from({ length: volumes }, (_, i) => ({
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: `kwok-pv-${i}` },
            spec: {
                capacity: { storage: "10Gi" },
                accessModes: ["ReadWriteOnce"],
                storageClassName: "standard",
                hostPath: { path: `/kwok/pv-${i}` },
            },
        })),
    ];
}

/** Starts the cluster with binaries from `binDir` (kube-*, etcd and kwok); `volumes` PersistentVolumes are made. */
export async function startKwokCluster(
    binDirs: { kubernetes: string; etcd: string; kwok: string },
    dir: string,
    volumes = 60,
): Promise<KwokCluster> {
    fs.mkdirSync(dir, { recursive: true });
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const children: ResultPromise[] = [];
    const logs = path.join(dir, "logs");
    fs.mkdirSync(logs, { recursive: true });
    // Each process runs until `stop`, which awaits them all.
    const start = (name: string, file: string, args: string[]): void => {
        children.push(
            execa(file, args, {
                reject: false,
                stdout: { file: path.join(logs, `${name}.log`) },
                stderr: { file: path.join(logs, `${name}.err.log`) },
            }),
        );
    };
    const stop = async () => {
        for (const child of children.reverse()) child.kill("SIGTERM");
        await Promise.all(children);
    };
    try {
        start("etcd", path.join(binDirs.etcd, "etcd"), [
            "--data-dir",
            path.join(dir, "etcd"),
            "--listen-client-urls",
            `http://127.0.0.1:${etcdClient}`,
            "--advertise-client-urls",
            `http://127.0.0.1:${etcdClient}`,
            "--listen-peer-urls",
            `http://127.0.0.1:${etcdPeer}`,
            "--unsafe-no-fsync",
            "--quota-backend-bytes",
            "4294967296",
        ]);

        const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
        fs.writeFileSync(path.join(dir, "sa.key"), privateKey.export({ type: "pkcs1", format: "pem" }));
        fs.writeFileSync(path.join(dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
        const token = crypto.randomBytes(16).toString("hex");
        fs.writeFileSync(path.join(dir, "tokens.csv"), `${token},admin,admin,system:masters\n`);
        start("kube-apiserver", path.join(binDirs.kubernetes, "kube-apiserver"), [
            "--etcd-servers",
            `http://127.0.0.1:${etcdClient}`,
            "--bind-address",
            "127.0.0.1",
            "--secure-port",
            String(apiPort),
            "--cert-dir",
            path.join(dir, "certs"),
            "--token-auth-file",
            path.join(dir, "tokens.csv"),
            "--authorization-mode",
            "Node,RBAC",
            "--service-account-issuer",
            "https://kubernetes.default.svc",
            "--service-account-key-file",
            path.join(dir, "sa.pub"),
            "--service-account-signing-key-file",
            path.join(dir, "sa.key"),
            "--service-cluster-ip-range",
            "10.96.0.0/12",
            "--allow-privileged",
            "--enable-priority-and-fairness=false",
            "--max-requests-inflight",
            "2000",
            "--max-mutating-requests-inflight",
            "1000",
        ]);
        const context = "kwok";
        const kubeconfig = path.join(dir, "kubeconfig");
        fs.writeFileSync(
            kubeconfig,
            stringify({
                apiVersion: "v1",
                kind: "Config",
                "current-context": context,
                clusters: [
                    {
                        name: context,
                        cluster: { server: `https://127.0.0.1:${apiPort}`, "insecure-skip-tls-verify": true },
                    },
                ],
                users: [{ name: "admin", user: { token } }],
                contexts: [{ name: context, context: { cluster: context, user: "admin" } }],
            }),
            { mode: 0o600 },
        );
        const kubectl = (args: string[], input?: string) =>
            execa(path.join(binDirs.kubernetes, "kubectl"), ["--kubeconfig", kubeconfig, ...args], {
                reject: false,
                ...(input ? { input } : {}),
            });
        for (let i = 0; ; i++) {
            if ((await kubectl(["get", "--raw", "/readyz"])).exitCode === 0) break;
            if (i > 120) throw new Error(`kube-apiserver did not become ready; see ${logs}`);
            await new Promise((r) => setTimeout(r, 500));
        }
        start("kube-controller-manager", path.join(binDirs.kubernetes, "kube-controller-manager"), [
            "--kubeconfig",
            kubeconfig,
            "--leader-elect=false",
            "--service-account-private-key-file",
            path.join(dir, "sa.key"),
            "--root-ca-file",
            path.join(dir, "certs", "apiserver.crt"),
            "--use-service-account-credentials=false",
            "--controllers",
            "*,-nodeipam",
            "--bind-address",
            "127.0.0.1",
            "--secure-port",
            "0",
            "--kube-api-qps",
            "500",
            "--kube-api-burst",
            "1000",
            "--concurrent-deployment-syncs",
            "20",
        ]);
        start("kube-scheduler", path.join(binDirs.kubernetes, "kube-scheduler"), [
            "--kubeconfig",
            kubeconfig,
            "--leader-elect=false",
            "--bind-address",
            "127.0.0.1",
            "--secure-port",
            "0",
        ]);
        start("kwok", path.join(binDirs.kwok, "kwok"), [
            "--kubeconfig",
            kubeconfig,
            "--manage-all-nodes",
            "--cidr",
            "10.240.0.1/16",
            "--node-lease-duration-seconds",
            "40",
        ]);
        const applied = await kubectl(
            ["apply", "-f", "-"],
            fixtures(volumes)
                .map((d) => stringify(d))
                .join("---\n"),
        );
        if (applied.exitCode !== 0)
            throw new Error(`could not create the simulated node and volumes: ${String(applied.stderr)}`);
        for (let i = 0; ; i++) {
            const ready = await kubectl([
                "get",
                "node",
                "kwok-node-0",
                "-o",
                'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
            ]);
            if (String(ready.stdout) === "True") break;
            if (i > 120) throw new Error(`the simulated node did not become Ready; see ${logs}`);
            await new Promise((r) => setTimeout(r, 500));
        }
        return { kubeconfig, context, stop };
    } catch (err) {
        await stop();
        throw err;
    }
}
