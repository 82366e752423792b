/**
 * Component arguments are checked before the component registers anything, and every problem is reported at once
 * with the argument it is about.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { before, beforeEach, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ContainerImage } from "../../components/container-image.js";
import { KindCluster, type KindClusterArgs } from "../../components/kind-cluster.js";
import { DEFAULT_NODE_IMAGE } from "../../lib/config.js";
import { tempDir, writeTree } from "../support/steps.js";

const registered: string[] = [];
const docker = { name: "docker", bin: "docker" } as const;

function kindArgs(overrides: Partial<KindClusterArgs> = {}): KindClusterArgs {
    const dir = tempDir("kc");
    return {
        clusterName: "sp-e2e",
        nodeImage: DEFAULT_NODE_IMAGE,
        kubeconfigPath: path.join(dir, "kubeconfig"),
        stateDir: dir,
        engine: docker,
        ...overrides,
    };
}

describe("component validation", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => (registered.push(`${a.type}/${a.name}`), { id: a.name, state: a.inputs }),
                call: (a) => a.inputs,
            },
            "kubernaut-e2e",
            "validation",
            true,
        );
    });
    beforeEach(() => {
        registered.length = 0;
    });

    it("fails KindCluster on out-of-range and duplicate host ports, naming each mapping", () => {
        assert.throws(
            () =>
                new KindCluster(
                    "sp",
                    kindArgs({
                        extraPortMappings: [
                            { containerPort: 30081, hostPort: 30081 },
                            { containerPort: 30082, hostPort: 70000 },
                            { containerPort: 30083, hostPort: 30081 },
                        ],
                    }),
                ),
            (err: Error) => {
                assert.ok(err instanceof pulumi.RunError);
                assert.match(err.message, /^KindCluster "sp": invalid configuration:/);
                assert.match(
                    err.message,
                    /- `extraPortMappings\[1\]\.hostPort`: 70000 is not a port number \(1-65535\)/,
                );
                assert.match(
                    err.message,
                    /- `extraPortMappings\[2\]\.hostPort`: 30081 is already used by `extraPortMappings\[0\]`/,
                );
                return true;
            },
        );
        assert.deepEqual(registered, []);
    });

    it("allows one host port on two addresses", () => {
        assert.doesNotThrow(
            () =>
                new KindCluster(
                    "two-addresses",
                    kindArgs({
                        extraPortMappings: [
                            { containerPort: 30081, hostPort: 30081 },
                            { containerPort: 30082, hostPort: 30081, listenAddress: "127.0.0.2" },
                        ],
                    }),
                ),
        );
    });

    it("fails KindCluster on a bad name, an unpinned node image and relative mounts", () => {
        assert.throws(
            () =>
                new KindCluster(
                    "sp",
                    kindArgs({
                        clusterName: "sp e2e$(id)",
                        nodeImage: "kindest/node:v1.36.1",
                        extraMounts: [{ hostPath: "./coverdata", containerPath: "/coverdata" }],
                    }),
                ),
            /`clusterName`: `sp e2e\$\(id\)` is not a kind cluster name[\s\S]*`nodeImage`: `kindest\/node:v1.36.1` is not pinned by digest[\s\S]*`extraMounts\[0\]\.hostPath`: `\.\/coverdata` must be absolute/,
        );
        assert.deepEqual(registered, []);
    });

    it("fails ContainerImage on a missing Dockerfile and a repository with shell metacharacters", () => {
        const dir = tempDir("ci");
        assert.throws(
            () =>
                new ContainerImage("sp", {
                    repository: "localhost/sp;reboot",
                    context: dir,
                    dockerfile: "docker/sp.Dockerfile",
                    engine: docker,
                }),
            (err: Error) => {
                assert.match(err.message, /^ContainerImage "sp": invalid configuration:/);
                assert.match(err.message, /`repository`: `localhost\/sp;reboot` is not an image repository/);
                assert.match(err.message, /`dockerfile`: `.*docker\/sp\.Dockerfile` does not exist/);
                return true;
            },
        );
        assert.deepEqual(registered, []);
    });

    it("fails ContainerImage on a build-arg name the engine would reject", () => {
        const dir = tempDir("ci");
        writeTree(dir, { Dockerfile: "FROM scratch\n" });
        assert.throws(
            () =>
                new ContainerImage("sp", {
                    repository: "localhost/sp",
                    context: dir,
                    dockerfile: "Dockerfile",
                    buildArgs: { "A B": "1" },
                    engine: docker,
                }),
            /`buildArgs\.A B`: is not a valid build argument name/,
        );
        assert.deepEqual(registered, []);
    });
});
