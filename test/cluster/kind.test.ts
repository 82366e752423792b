/**
 * Stage 2 of the offline toolchain, for real: kind (Podman provider) creates a cluster from the toolchain's node
 * image; the node is Ready with CoreDNS and the network up; a Pod of an image built here and loaded with
 * `kind load image-archive` becomes Ready; a PersistentVolumeClaim binds through the default StorageClass.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { BUSYBOX_BASE, deleteClusters, requireToolchain, uniqueName, type Toolchain } from "./support/harness.js";

describe("kind with the toolchain's node image", () => {
    let toolchain: Toolchain;
    const cluster = uniqueName("ke2e-kind");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-kind-"));
    const kubeconfig = path.join(dir, "kubeconfig");
    const image = `localhost/ke2e-test/${cluster}:1`;
    const kubectl = (args: string[]) =>
        execa(toolchain.bin("kubectl"), ["--kubeconfig", kubeconfig, ...args], { reject: false });

    before(async () => {
        toolchain = await requireToolchain();
    });
    after(async () => {
        if (toolchain) {
            await deleteClusters(toolchain, [cluster]);
            await execa(toolchain.podman, ["rmi", "-f", image], { reject: false });
        }
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("creates a cluster whose node is Ready, with CoreDNS running", async () => {
        const created = await execa(
            toolchain.bin("kind"),
            [
                "create",
                "cluster",
                "--name",
                cluster,
                "--image",
                toolchain.nodeImage,
                "--kubeconfig",
                kubeconfig,
                "--wait",
                "120s",
            ],
            {
                env: { KIND_EXPERIMENTAL_PROVIDER: "podman" },
                reject: false,
            },
        );
        assert.equal(created.exitCode, 0, String(created.stderr));
        const nodes = await kubectl([
            "get",
            "nodes",
            "-o",
            "jsonpath={.items[*].status.conditions[?(@.type=='Ready')].status}",
        ]);
        assert.equal(String(nodes.stdout), "True");
        const dns = await kubectl([
            "-n",
            "kube-system",
            "wait",
            "--for=condition=Available",
            "deployment/coredns",
            "--timeout=120s",
        ]);
        assert.equal(dns.exitCode, 0, String(dns.stderr));
    });

    it("runs a Pod of a locally built image loaded with kind load image-archive", async () => {
        const context = path.join(dir, "context");
        fs.mkdirSync(context);
        fs.writeFileSync(path.join(context, "Dockerfile"), `FROM ${BUSYBOX_BASE}\nCMD ["sleep", "3600"]\n`);
        assert.equal((await execa(toolchain.podman, ["build", "-t", image, context], { reject: false })).exitCode, 0);
        const archive = path.join(dir, "image.tar");
        await execa(toolchain.podman, ["save", "--format", "docker-archive", "-o", archive, image]);
        const loaded = await execa(toolchain.bin("kind"), ["load", "image-archive", archive, "--name", cluster], {
            env: { KIND_EXPERIMENTAL_PROVIDER: "podman" },
            reject: false,
        });
        assert.equal(loaded.exitCode, 0, String(loaded.stderr));
        await kubectl(["run", "loaded", `--image=${image}`, "--image-pull-policy=Never"]);
        const ready = await kubectl(["wait", "--for=condition=Ready", "pod/loaded", "--timeout=120s"]);
        assert.equal(
            ready.exitCode,
            0,
            `${String(ready.stderr)}\n${String((await kubectl(["describe", "pod", "loaded"])).stdout)}`,
        );
    });

    it("binds a PersistentVolumeClaim through the default StorageClass", async () => {
        const manifest = path.join(dir, "pvc.yaml");
        fs.writeFileSync(
            manifest,
            [
                "apiVersion: v1",
                "kind: PersistentVolumeClaim",
                "metadata: { name: data }",
                "spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Mi } } }",
                "---",
                "apiVersion: v1",
                "kind: Pod",
                "metadata: { name: writer }",
                "spec:",
                "  containers:",
                "  - name: c",
                `    image: ${BUSYBOX_BASE}`,
                "    imagePullPolicy: Never",
                '    command: [sh, -c, "echo ok > /data/f && sleep 3600"]',
                "    volumeMounts: [{ name: d, mountPath: /data }]",
                "  volumes: [{ name: d, persistentVolumeClaim: { claimName: data } }]",
                "",
            ].join("\n"),
        );
        assert.equal((await kubectl(["apply", "-f", manifest])).exitCode, 0);
        const bound = await kubectl(["wait", "--for=jsonpath={.status.phase}=Bound", "pvc/data", "--timeout=120s"]);
        assert.equal(
            bound.exitCode,
            0,
            `${String(bound.stderr)}\n${String((await kubectl(["describe", "pvc", "data"])).stdout)}`,
        );
        assert.equal((await kubectl(["wait", "--for=condition=Ready", "pod/writer", "--timeout=120s"])).exitCode, 0);
    });
});
