/**
 * signalprocessing-e2e under Pulumi mocks, against a Kubernaut-shaped fixture (test/fixtures/kubernaut): every object
 * of Kubernaut's SP lane exists once with its names, labels, ports and images; the edges the lane relies on exist;
 * every
 * rendered object passes the Kubernetes schema and the kind config kind's; and re-plans of an unchanged tree are equal.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { kindConfigProblems } from "../../components/kind-cluster/config-schema.js";
import { type Plan, type PlannedResource } from "../../tools/plan.js";
import { planStack } from "../../tools/plan-stack.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { validateAgainstSchema } from "../support/k8s-schema.js";
import { assertUniqueUrns, dependsOn, find, flag, rejection, step as command, stepArgs } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const STACK = "signalprocessing-e2e";
const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");

function planOf(root: string, overrides: Record<string, string> = {}) {
    return planStack(STACK, { configOverrides: { "kubernaut-e2e:kubernautRoot": root, ...overrides } });
}

/** Kubernetes objects of the plan, by `kind/metadata.name`. */
function objects(plan: Plan): Map<string, PlannedResource> {
    const result = new Map<string, PlannedResource>();
    for (const r of plan.resources.filter(
        (x) => x.type.startsWith("kubernetes:") && x.custom && !x.type.startsWith("pulumi:providers"),
    )) {
        const key = `${r.type.split(":").pop()}/${(r.inputs.metadata as { name: string }).name}`;
        assert.ok(!result.has(key), `${key} is rendered twice`);
        result.set(key, r);
    }
    return result;
}

function object(plan: Plan, kind: string, name: string): PlannedResource {
    const r = objects(plan).get(`${kind}/${name}`);
    assert.ok(r, `${kind}/${name} is missing`);
    return r;
}

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("signalprocessing-e2e under mocks", () => {
    let plan: Plan;
    before(async () => {
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("sp-work");
        plan = await planOf(FIXTURE);
    });

    it("renders each object of the SP lane exactly once", () => {
        assertUniqueUrns(plan);
        const names = [...objects(plan).keys()]
            .filter((k) => !k.startsWith("CustomResourceDefinition/") && !k.startsWith("ActionType/"))
            .sort();
        assert.deepEqual(names, [
            "ClusterRole/data-storage-auth-middleware",
            "ClusterRole/data-storage-client",
            "ClusterRole/signalprocessing-controller",
            "ClusterRoleBinding/data-storage-auth-middleware",
            "ClusterRoleBinding/signalprocessing-controller",
            "ConfigMap/datastorage-config",
            "ConfigMap/datastorage-migrations",
            "ConfigMap/inter-service-ca",
            "ConfigMap/signalprocessing-config",
            "ConfigMap/signalprocessing-policy",
            "ConfigMap/signalprocessing-proactive-signal-mappings",
            "Deployment/datastorage",
            "Deployment/postgresql",
            "Deployment/redis",
            "Deployment/signalprocessing-controller",
            "Job/datastorage-migrations",
            "Namespace/kubernaut-system",
            "PersistentVolumeClaim/postgresql-data",
            "RoleBinding/signalprocessing-controller-datastorage-access",
            "RoleBinding/signalprocessing-e2e-sa-data-storage-client",
            "Secret/datastorage-signing",
            "Secret/datastorage-tls",
            "Secret/postgresql-secret",
            "Secret/redis-secret",
            "Secret/signalprocessing-e2e-sa-token",
            "Service/data-storage-service",
            "Service/postgresql",
            "Service/redis",
            "Service/signalprocessing-controller-metrics",
            "ServiceAccount/data-storage-sa",
            "ServiceAccount/signalprocessing-controller",
            "ServiceAccount/signalprocessing-e2e-sa",
        ]);
    });

    it("applies all 11 CRDs and seeds all 11 ActionTypes with their status", () => {
        const all = [...objects(plan).keys()];
        assert.equal(all.filter((k) => k.startsWith("CustomResourceDefinition/")).length, 11);
        assert.equal(all.filter((k) => k.startsWith("ActionType/")).length, 11);
        const status = command(plan, "action-types-status");
        assert.equal(flag(status, "--resource"), "actiontypes.kubernaut.ai");
        assert.deepEqual(JSON.parse(flag(status, "--patch")!), {
            status: { registered: true, catalogStatus: "Active", registeredBy: "test-infrastructure-seeder" },
        });
        assert.ok(dependsOn(plan, status, object(plan, "ActionType", "scale-replicas")));
        const restartPod = object(plan, "ActionType", "restart-pod").inputs;
        assert.equal(restartPod.apiVersion, "kubernaut.ai/v1alpha1");
        assert.equal((restartPod.spec as Spec).name, "RestartPod");
        assert.deepEqual(Object.keys((restartPod.spec as Spec).description), ["what", "whenToUse"]);
        assert.equal((restartPod.metadata as Spec).namespace, "kubernaut-system");
    });

    it("renders the controller's and DataStorage's config files with the lane's settings", () => {
        const sp = parse((object(plan, "ConfigMap", "signalprocessing-config").inputs.data as Spec)["config.yaml"]);
        assert.deepEqual(sp.classifier, {
            regoConfigMapName: "signalprocessing-policy",
            regoConfigMapKey: "policy.rego",
            hotReloadInterval: "30s",
        });
        assert.equal(sp.datastorage.url, "https://data-storage-service.kubernaut-system.svc.cluster.local:8080");
        assert.deepEqual(sp.datastorage.buffer, {
            bufferSize: 10000,
            batchSize: 50,
            flushInterval: "100ms",
            maxRetries: 3,
        });
        assert.equal(sp.controller.leaderElection, false);
        const ds = parse((object(plan, "ConfigMap", "datastorage-config").inputs.data as Spec)["config.yaml"]);
        assert.equal(ds.database.host, "postgresql.kubernaut-system.svc.cluster.local");
        assert.equal(ds.redis.addr, "redis.kubernaut-system.svc.cluster.local:6379");
        assert.equal(ds.server.tls.certDir, "/etc/tls");
        const mappings = parse(
            (object(plan, "ConfigMap", "signalprocessing-proactive-signal-mappings").inputs.data as Spec)[
                "proactive-signal-mappings.yaml"
            ],
        );
        assert.equal(mappings.proactive_signal_mappings.PredictedOOMKill, "OOMKilled");
    });

    it("labels the namespace as Kubernaut's SP lane does", () => {
        assert.deepEqual((object(plan, "Namespace", "kubernaut-system").inputs.metadata as Spec).labels, {
            "app.kubernetes.io/name": "kubernaut",
            "app.kubernetes.io/component": "signalprocessing",
        });
    });

    it("publishes the lane's NodePorts, and no LoadBalancer anywhere", () => {
        const ports = (name: string) =>
            ((object(plan, "Service", name).inputs.spec as Spec).ports as Spec[]).map((p) => [
                p.name,
                p.nodePort ?? null,
            ]);
        assert.deepEqual(ports("data-storage-service"), [
            ["https", 30081],
            ["metrics", 30181],
            ["health", 30281],
        ]);
        assert.deepEqual(ports("postgresql"), [["postgresql", 30432]]);
        assert.deepEqual(ports("signalprocessing-controller-metrics"), [["metrics", 30182]]);
        assert.deepEqual(ports("redis"), [["redis", null]]);
        for (const [key, r] of objects(plan))
            if (key.startsWith("Service/")) assert.notEqual((r.inputs.spec as Spec).type, "LoadBalancer", key);
    });

    it("runs the locally built images with imagePullPolicy Never, and the content-addressed refs", () => {
        const container = (name: string) =>
            ((object(plan, "Deployment", name).inputs.spec as Spec).template.spec.containers as Spec[])[0];
        assert.match(
            container("signalprocessing-controller").image,
            /^localhost\/kubernaut\/signalprocessing:[0-9a-f]{12}$/,
        );
        assert.match(container("datastorage").image, /^localhost\/kubernaut\/datastorage:[0-9a-f]{12}$/);
        assert.equal(container("signalprocessing-controller").imagePullPolicy, "Never");
        assert.equal(container("datastorage").imagePullPolicy, "Never");
        assert.equal(container("postgresql").image, "docker.io/library/postgres:16-alpine");
        assert.equal(container("redis").image, "quay.io/jordigilh/redis:7-alpine");
        const job = (
            (object(plan, "Job", "datastorage-migrations").inputs.spec as Spec).template.spec.containers as Spec[]
        )[0];
        assert.match(job.image, /^localhost\/kubernaut\/db-migrate:[0-9a-f]{12}$/);
        assert.equal(job.imagePullPolicy, "Never");
    });

    it("always builds SignalProcessing with coverage, DataStorage only when configured", () => {
        const args = (name: string) => stepArgs(command(plan, name));
        assert.ok(args("signalprocessing-build").includes("GOFLAGS=-cover"));
        assert.ok(!args("datastorage-build").includes("GOFLAGS=-cover"));
        assert.ok(args("signalprocessing-build").some((a) => /^GOARCH=/.test(a)));
    });

    it("wires coverage: GOCOVERDIR and the node's /coverdata, mounted from the stack's own directory", () => {
        const pod = (object(plan, "Deployment", "signalprocessing-controller").inputs.spec as Spec).template.spec;
        assert.deepEqual(pod.securityContext, { runAsUser: 0, runAsGroup: 0 });
        assert.ok((pod.containers[0].env as Spec[]).some((e) => e.name === "GOCOVERDIR" && e.value === "/coverdata"));
        assert.deepEqual((pod.volumes as Spec[]).find((v) => v.name === "coverdata")?.hostPath, {
            path: "/coverdata",
            type: "DirectoryOrCreate",
        });
        const config = parse(flag(command(plan, "cluster-create"), "--config-yaml")!);
        assert.deepEqual(config.nodes[0].extraMounts, [
            {
                hostPath: path.join(process.env.KUBERNAUT_E2E_WORK_ROOT!, STACK, "coverdata"),
                containerPath: "/coverdata",
                readOnly: false,
            },
        ]);
    });

    it("renders the SP kind config: pinned node, four port mappings, standard patches plus sync-frequency", () => {
        const config = parse(flag(command(plan, "cluster-create"), "--config-yaml")!);
        assert.deepEqual(kindConfigProblems(config), []);
        assert.match(config.nodes[0].image, /^kindest\/node:v1\.36\.1@sha256:[0-9a-f]{64}$/);
        assert.deepEqual(
            config.nodes[0].extraPortMappings.map((m: Spec) => [m.containerPort, m.hostPort]),
            [
                [30182, 9182],
                [30081, 30081],
                [30281, 30281],
                [30432, 30432],
            ],
        );
        const [cluster, init] = config.kubeadmConfigPatches.map((p: string) => parse(p));
        assert.deepEqual(cluster, {
            kind: "ClusterConfiguration",
            apiServer: { extraArgs: { "max-requests-inflight": "800", "max-mutating-requests-inflight": "400" } },
            controllerManager: { extraArgs: { "kube-api-qps": "100", "kube-api-burst": "200" } },
        });
        assert.deepEqual(init, {
            kind: "InitConfiguration",
            nodeRegistration: { kubeletExtraArgs: { "sync-frequency": "10s" } },
        });
    });

    it("validates every rendered Kubernetes object against the Kubernetes OpenAPI schema", () => {
        let validated = 0;
        for (const [key, r] of objects(plan)) {
            if (r.type.includes("kubernaut.ai")) continue; // custom resources: their schema is the fixture CRD's
            // A redacted (secret) or not-yet-known property is a string here; stand in an object of the right shape.
            const inputs = ["[secret]", "[unknown]"].includes(r.inputs.stringData as string)
                ? { ...r.inputs, stringData: { redacted: "x" } }
                : r.inputs;
            assert.doesNotThrow(
                () => assert.ok(validateAgainstSchema(r.type, inputs), `no model for ${r.type}`),
                `${key} does not validate`,
            );
            validated++;
        }
        assert.ok(validated >= 40, `validated ${validated}`);
    });

    it("orders the SP controller after its image load, the CRDs, the CA and DataStorage's rollout", () => {
        const sp = object(plan, "Deployment", "signalprocessing-controller");
        assert.ok(dependsOn(plan, sp, command(plan, "signalprocessing-load")));
        assert.ok(dependsOn(plan, sp, object(plan, "CustomResourceDefinition", "signalprocessings.kubernaut.ai")));
        assert.ok(dependsOn(plan, sp, object(plan, "ConfigMap", "inter-service-ca")));
        // A Service counts as ready once its endpoints settle, even with no Pods: only the rollout means DataStorage is
        // up.
        assert.ok(dependsOn(plan, sp, object(plan, "Deployment", "datastorage")), "SP waits for DataStorage's rollout");
        assert.ok(dependsOn(plan, sp, object(plan, "RoleBinding", "signalprocessing-controller-datastorage-access")));
    });

    it("orders DataStorage after the migrations Job, and the Job after PostgreSQL", () => {
        const ds = object(plan, "Deployment", "datastorage");
        const job = object(plan, "Job", "datastorage-migrations");
        assert.ok(dependsOn(plan, ds, job));
        assert.ok(dependsOn(plan, ds, object(plan, "CustomResourceDefinition", "remediationworkflows.kubernaut.ai")));
        assert.ok(dependsOn(plan, job, object(plan, "Deployment", "postgresql")));
        assert.ok(dependsOn(plan, job, command(plan, "db-migrate-load")));
    });

    it("creates the cluster after the three builds and loads each image after its build and the cluster only", () => {
        const cluster = command(plan, "cluster-create");
        for (const build of ["signalprocessing-build", "datastorage-build", "db-migrate-build"])
            assert.ok(dependsOn(plan, cluster, command(plan, build)));
        assert.ok(!dependsOn(plan, cluster, command(plan, "postgres-pull")), "pulls do not hold the cluster back");
        assert.deepEqual(
            command(plan, "postgres-load").dependencies,
            [command(plan, "cluster-create").urn, command(plan, "postgres-pull").urn].sort(),
        );
    });

    it("replaces the migrations Job when the SQL changes, through a digest on its pod template", () => {
        const job = object(plan, "Job", "datastorage-migrations");
        assert.equal(job.options.deleteBeforeReplace, true);
        assert.match(
            (job.inputs.spec as Spec).template.metadata.annotations["kubernaut-e2e/migrations-sha256"],
            /^[0-9a-f]{64}$/,
        );
        assert.deepEqual(Object.keys(object(plan, "ConfigMap", "datastorage-migrations").inputs.data as Spec), [
            "001_v1_schema.sql",
            "002_add_audit_events.sql",
            "017_add_audit_cluster_id_index.sql",
        ]);
    });

    it("bounds every awaited object's wait with a timeout annotation", () => {
        for (const [key, r] of objects(plan)) {
            if (!/^(Deployment|Job|Service)\//.test(key)) continue;
            assert.match(String((r.inputs.metadata as Spec).annotations?.["pulumi.com/timeoutSeconds"]), /^\d+$/, key);
        }
        assert.equal(
            (object(plan, "PersistentVolumeClaim", "postgresql-data").inputs.metadata as Spec).annotations[
                "pulumi.com/skipAwait"
            ],
            "true",
        );
    });

    it("keeps secrets out of the plan and marks secret outputs", () => {
        const text = JSON.stringify(plan);
        assert.ok(!text.includes("test_password"), "the PostgreSQL password never appears");
        assert.equal(plan.outputs.postgresUrl, "[secret]");
        assert.equal(plan.outputs.suiteToken, "[secret]");
        // The SDK marks the whole property secret when any value inside it is.
        assert.equal(object(plan, "Secret", "postgresql-secret").inputs.stringData, "[secret]");
        assert.ok(!text.includes("PRIVATE KEY"));
    });

    it("gives a Ginkgo suite the outputs it needs, with per-stack paths", () => {
        const work = path.join(process.env.KUBERNAUT_E2E_WORK_ROOT!, STACK);
        assert.deepEqual(
            { ...plan.outputs, images: undefined },
            {
                clusterName: STACK,
                kubeconfigPath: path.join(work, "kubeconfig"),
                namespace: "kubernaut-system",
                dataStorageUrl: "https://127.0.0.1:30081",
                dataStorageHealthUrl: "http://127.0.0.1:30281",
                signalProcessingMetricsUrl: "http://127.0.0.1:9182/metrics",
                postgresUrl: "[secret]",
                caFile: path.join(work, "inter-service-ca.pem"),
                coverageDir: path.join(work, "coverdata"),
                suiteServiceAccount: "signalprocessing-e2e-sa",
                suiteToken: "[secret]",
                images: undefined,
            },
        );
        assert.equal(flag(command(plan, "tls-ca-file"), "--path"), path.join(work, "inter-service-ca.pem"));
    });

    it("plans the same inputs twice on an unchanged tree, so a re-run is a no-op", async () => {
        const again = await planOf(FIXTURE);
        assert.deepEqual(
            again.resources.map((r) => [r.urn, r.inputs, r.dependencies]),
            plan.resources.map((r) => [r.urn, r.inputs, r.dependencies]),
        );
    });

    it("changes only the SP image ref and what uses it when the SP Dockerfile changes", async () => {
        const copy = tempDir("kubernaut");
        fs.cpSync(FIXTURE, copy, { recursive: true });
        const before = await planOf(copy);
        fs.appendFileSync(path.join(copy, "docker", "signalprocessing-controller.Dockerfile"), "LABEL changed=true\n");
        const after = await planOf(copy);
        const inputsOf = (p: Plan) => new Map(p.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
        const [b, a] = [inputsOf(before), inputsOf(after)];
        const changed = [...a.keys()]
            .filter((urn) => a.get(urn) !== b.get(urn))
            .map((urn) => urn.split("::").pop())
            .sort();
        assert.deepEqual(changed, ["signalprocessing-build", "signalprocessing-deployment", "signalprocessing-load"]);
    });

    it("changes only the image whose Go inputs change, though all three build from one context", async () => {
        const copy = tempDir("kubernaut");
        fs.cpSync(FIXTURE, copy, { recursive: true });
        const images = async () => (await planOf(copy)).outputs.images as Record<string, string>;
        const before = await images();
        // Another service's Dockerfile is in every image's context, but in no image's Go inputs.
        fs.appendFileSync(path.join(copy, "docker", "signalprocessing-controller.Dockerfile"), "LABEL changed=true\n");
        const dockerfile = await images();
        assert.notEqual(dockerfile.signalprocessing, before.signalprocessing);
        assert.equal(dockerfile.datastorage, before.datastorage);
        assert.equal(dockerfile.dbMigrate, before.dbMigrate);
        fs.appendFileSync(path.join(copy, "cmd", "signalprocessing", "main.go"), "// edited\n");
        const code = await images();
        assert.notEqual(code.signalprocessing, dockerfile.signalprocessing, "SignalProcessing's own package");
        assert.deepEqual(
            [code.datastorage, code.dbMigrate],
            [before.datastorage, before.dbMigrate],
            "nothing else rebuilds, reloads or rolls",
        );
        fs.appendFileSync(path.join(copy, "go.mod"), "// a module change\n");
        const module = await images();
        assert.notEqual(module.datastorage, code.datastorage, "go.mod is every Go image's input");
        assert.equal(module.dbMigrate, code.dbMigrate, "db-migrate builds no Go code of the checkout");
    });

    it("fails naming the missing paths when the checkout lacks what the stack reads, before registering anything", async () => {
        const partial = tempDir("kubernaut-partial");
        fs.cpSync(FIXTURE, partial, { recursive: true });
        fs.rmSync(path.join(partial, "migrations"), { recursive: true });
        fs.rmSync(path.join(partial, "docker", "db-migrate.Dockerfile"));
        const err = await rejection(() => planOf(partial));
        assert.match(
            err.message,
            /Kubernaut checkout at .* \(from `kubernaut-e2e:kubernautRoot`\) is missing what this stack reads/,
        );
        assert.match(err.message, /docker\/db-migrate\.Dockerfile/);
        assert.match(err.message, /migrations\/\*\.sql/);
        assert.deepEqual(err.registered, []);
    });

    it("mounts the policy Kubernaut's SP E2E setup applies, or the checkout file `policyFile` names", async () => {
        const rego = (p: Plan) =>
            (object(p, "ConfigMap", "signalprocessing-policy").inputs.data as Record<string, string>)["policy.rego"];
        assert.match(rego(plan), /Fixture policy from the E2E setup/);
        assert.match(rego(plan), /^package signalprocessing\n/);
        const chosen = await planOf(FIXTURE, {
            "kubernaut-e2e:policyFile": "charts/kubernaut/examples/signalprocessing-policy.rego",
        });
        assert.equal(
            rego(chosen),
            fs.readFileSync(path.join(FIXTURE, "charts/kubernaut/examples/signalprocessing-policy.rego"), "utf8"),
        );
    });

    it("fails naming the setup file when it holds no policy ConfigMap, before registering anything", async () => {
        const partial = tempDir("kubernaut-no-policy");
        fs.cpSync(FIXTURE, partial, { recursive: true });
        fs.writeFileSync(
            path.join(partial, "test/infrastructure/signalprocessing_e2e_hybrid.go"),
            "package infrastructure\n",
        );
        const err = await rejection(() => planOf(partial));
        assert.match(
            err.message,
            /signalprocessing_e2e_hybrid\.go: no ConfigMap `signalprocessing-policy` with a `policy\.rego`.*`kubernaut-e2e:policyFile`/,
        );
        assert.deepEqual(err.registered, []);
    });

    it("builds an image from the Dockerfile `dockerfiles` names instead of the checkout's, which then need not have it", async () => {
        const partial = tempDir("kubernaut-no-db-migrate");
        fs.cpSync(FIXTURE, partial, { recursive: true });
        fs.rmSync(path.join(partial, "docker", "db-migrate.Dockerfile"));
        const replacement = path.join(PROJECT_ROOT, "toolchain", "ubi", "db-migrate.Dockerfile");
        const replaced = await planOf(partial, {
            "kubernaut-e2e:dockerfiles": JSON.stringify({ "db-migrate": "toolchain/ubi/db-migrate.Dockerfile" }),
        });
        const args = stepArgs(command(replaced, "db-migrate-build"));
        assert.equal(args[args.indexOf("--dockerfile") + 1], replacement);
        assert.equal(args[args.indexOf("--context") + 1], partial, "the context stays the checkout");
        const dataStorage = stepArgs(command(replaced, "datastorage-build"));
        assert.equal(
            dataStorage[dataStorage.indexOf("--dockerfile") + 1],
            path.join(partial, "docker", "data-storage.Dockerfile"),
        );
        const tag = (p: Plan) =>
            ((object(p, "Job", "datastorage-migrations").inputs.spec as Spec).template.spec.containers as Spec[])[0]
                .image as string;
        assert.notEqual(tag(replaced), tag(plan), "the image's tag follows its Dockerfile");
    });

    it("fails when its host ports collide with another stack's, naming the stack", async () => {
        const err = await rejection(() =>
            planOf(FIXTURE, { "kubernaut-e2e:hostPorts": JSON.stringify({ signalProcessingMetrics: 38080 }) }),
        );
        assert.match(
            err.message,
            /`kubernaut-e2e:hostPorts\.signalProcessingMetrics` \(38080\) is also stack `smoke-e2e`'s `kubernaut-e2e:hostPort` \(Pulumi\.smoke-e2e\.yaml\)/,
        );
        assert.deepEqual(err.registered, []);
    });

    it("loads PostgreSQL and Redis into the cluster, or lets the node pull them when preloading is off", async () => {
        const pg = object(plan, "Deployment", "postgresql");
        assert.ok(dependsOn(plan, pg, command(plan, "postgres-load")));
        const pulling = await planOf(FIXTURE, { "kubernaut-e2e:preloadThirdPartyImages": "false" });
        assert.equal(pulling.resources.filter((r) => r.name === "postgres-pull" || r.name === "redis-load").length, 0);
        assert.ok(find(pulling, "kubernetes:apps/v1:Deployment", "postgresql-deployment"));
    });

    it("writes the kubeconfig where Kubernaut's suite looks for it when asked (`~/.kube/<cluster>-config`)", async () => {
        const moved = await planOf(FIXTURE, { "kubernaut-e2e:kubeconfigPath": "~/.kube/signalprocessing-e2e-config" });
        const expected = path.join(os.homedir(), ".kube", "signalprocessing-e2e-config");
        assert.equal(flag(command(moved, "cluster-create"), "--kubeconfig"), expected);
        assert.equal(
            flag(command(moved, "action-types-status"), "--kubeconfig"),
            expected,
            "every step uses the same file",
        );
        assert.equal(moved.outputs?.kubeconfigPath, expected);
    });
});
