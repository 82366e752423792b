/**
 * Registry delivery under mocks (stack config `registry`): images named and pushed under the registry, no archive
 * loads, third-party images copied, the node's containerd pointed at the registry, Pods that pull, and a bad address
 * refused with the key named before anything is registered.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import type { Plan, PlannedResource } from "../../tools/plan.js";
import { planStack } from "../../tools/plan-stack.js";
import { flag, rejection, step, stepArgs } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const REGISTRY = "127.0.0.1:5000/team";
const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");
const typeOf = (r: PlannedResource) => r.type.split(":").pop()!;
const containers = (plan: Plan) =>
    plan.resources
        .filter((r) => r.type === "kubernetes:apps/v1:Deployment" || r.type === "kubernetes:batch/v1:Job")
        .flatMap(
            (r) =>
                (
                    r.inputs as {
                        spec: { template: { spec: { containers: { image: string; imagePullPolicy: string }[] } } };
                    }
                ).spec.template.spec.containers,
        );

describe("registry delivery under mocks", () => {
    before(() => {
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("work");
    });

    describe("smoke-e2e", () => {
        let plan: Plan;
        before(async () => {
            plan = await planStack("smoke-e2e", {
                configOverrides: { "kubernaut-e2e:registry": REGISTRY, "kubernaut-e2e:engine": "podman" },
            });
        });

        it("builds each image under the registry and pushes it, with no archive load", () => {
            assert.deepEqual(
                plan.resources.filter((r) => typeOf(r) === "ImageLoad"),
                [],
            );
            const build = step(plan, "api-build");
            assert.match(String(flag(build, "--repository")), /^127\.0\.0\.1:5000\/team\/kubernaut-e2e\/smoke-api$/);
            assert.ok(
                stepArgs(build).includes("--push") && stepArgs(build).includes("--insecure-registry"),
                stepArgs(build).join(" "),
            );
            assert.ok(
                stepArgs(build, "observe").includes("--in-registry"),
                "a tag gone from the registry is pushed again",
            );
            assert.deepEqual(
                (plan.outputs.images as string[]).map((ref) => ref.replace(/:[0-9a-f]{12}$/, "")),
                ["127.0.0.1:5000/team/kubernaut-e2e/smoke-api", "127.0.0.1:5000/team/kubernaut-e2e/smoke-worker"],
            );
        });

        it("runs Pods that pull the registry refs, each after its own push", () => {
            const all = containers(plan);
            assert.deepEqual(
                all.map((c) => c.imagePullPolicy),
                ["IfNotPresent", "IfNotPresent"],
            );
            assert.deepEqual(all.map((c) => c.image).sort(), [...(plan.outputs.images as string[])].sort());
        });

        it("points the node's containerd at the registry through hosts.toml, reached at host.containers.internal", () => {
            const create = step(plan, "cluster-create");
            const config = parse(String(flag(create, "--config-yaml"))) as {
                containerdConfigPatches: string[];
                nodes: { extraMounts: { containerPath: string; readOnly: boolean }[] }[];
            };
            assert.match(config.containerdConfigPatches[0], /config_path = "\/etc\/containerd\/certs\.d"/);
            assert.ok(
                config.nodes[0].extraMounts.some((m) => m.containerPath === "/etc/containerd/certs.d" && m.readOnly),
            );
            const file = String(flag(create, "--write-file"));
            assert.match(
                file,
                /containerd-certs\.d\/127\.0\.0\.1:5000\/hosts\.toml=server = "http:\/\/127\.0\.0\.1:5000"/,
            );
            assert.match(file, /\[host\."http:\/\/host\.containers\.internal:5000"\]/);
        });
    });

    describe("a lane (signalprocessing-e2e)", () => {
        let plan: Plan;
        before(async () => {
            plan = await planStack("signalprocessing-e2e", {
                configOverrides: {
                    "kubernaut-e2e:kubernautRoot": FIXTURE,
                    "kubernaut-e2e:registry": REGISTRY,
                    "kubernaut-e2e:engine": "podman",
                },
            });
        });

        it("pushes its own images and copies the third-party ones, loading nothing", () => {
            assert.deepEqual(
                plan.resources.filter((r) => typeOf(r) === "ImageLoad"),
                [],
            );
            const copies = plan.resources
                .filter((r) => typeOf(r) === "RegistryCopy")
                .map((r) => r.name)
                .sort();
            assert.deepEqual(copies, ["postgres", "redis"]);
            const copy = step(plan, "postgres-push");
            assert.equal(flag(copy, "--to"), "127.0.0.1:5000/team/library/postgres:16-alpine");
        });

        it("runs every container from the registry", () => {
            for (const c of containers(plan)) {
                assert.match(c.image, /^127\.0\.0\.1:5000\/team\//, c.image);
                assert.equal(c.imagePullPolicy, "IfNotPresent", c.image);
            }
        });
    });

    it("refuses a bad registry address, naming the key, before anything is registered", async () => {
        const err = await rejection(() =>
            planStack("smoke-e2e", { configOverrides: { "kubernaut-e2e:registry": "http://registry:5000" } }),
        );
        assert.match(
            err.message,
            /`kubernaut-e2e:registry`: `http:\/\/registry:5000` is not a registry address; expected `host:port`/,
        );
        assert.deepEqual(err.registered, []);
    });

    it("refuses a loopback registry for Docker nodes without a nodeEndpoint, naming the key, before anything is registered", async () => {
        const err = await rejection(() =>
            planStack("smoke-e2e", {
                configOverrides: { "kubernaut-e2e:registry": "127.0.0.1:5000", "kubernaut-e2e:engine": "docker" },
            }),
        );
        assert.match(
            err.message,
            /`kubernaut-e2e:registry`: the registry `127\.0\.0\.1:5000` is on the host's loopback/,
        );
        assert.deepEqual(err.registered, []);
    });
});
