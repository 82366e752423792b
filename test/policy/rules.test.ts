/**
 * The policy rules, called as @pulumi/policy calls them (ResourceValidationArgs / StackValidationArgs shapes), and the
 * offline path over the project's own stacks.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import type {
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { planStack } from "../../tools/plan-stack.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { readEnforcement } from "../../policy/enforcement.js";
import { evaluate } from "../../policy/evaluate.js";
import { policies } from "../../policy/policies.js";
import { RULES } from "../../policy/rules.js";
import { STEP_TYPE } from "../../lib/step-contract.js";
import { tempDir } from "../support/steps.js";

const MANDATORY = new Map(RULES.map((r) => [r.name, "mandatory" as const]));

function resourceArgs(type: string, props: Record<string, unknown>, name = "r"): ResourceValidationArgs {
    return {
        type,
        props,
        urn: `urn:pulumi:test-stack::kubernaut-e2e::${type}::${name}`,
        name,
        opts: {} as never,
        isType: () => false,
        asType: () => undefined,
        getConfig: () => ({}) as never,
        notApplicable: () => undefined,
    } as unknown as ResourceValidationArgs;
}

function violationsOf(ruleName: string, args: ResourceValidationArgs): string[] {
    const policy = policies(MANDATORY).find((p) => p.name === ruleName) as ResourceValidationPolicy;
    const reported: string[] = [];
    (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args, (m) =>
        reported.push(m),
    );
    return reported;
}

async function stackViolationsOf(
    ruleName: string,
    resources: ResourceValidationArgs[],
): Promise<{ message: string; urn?: string }[]> {
    const policy = policies(MANDATORY).find((p) => p.name === ruleName) as StackValidationPolicy;
    const reported: { message: string; urn?: string }[] = [];
    await (policy.validateStack as (a: StackValidationArgs, r: (m: string, u?: string) => void) => Promise<void>)(
        { resources } as unknown as StackValidationArgs,
        (message, urn) => reported.push({ message, urn }),
    );
    return reported;
}

const deployment = (
    container: Record<string, unknown>,
    annotations: Record<string, string> = { "pulumi.com/timeoutSeconds": "300" },
) =>
    resourceArgs("kubernetes:apps/v1:Deployment", {
        metadata: { name: "d", annotations },
        spec: { template: { spec: { containers: [{ name: "c", ...container }] } } },
    });

describe("policy rules", () => {
    it("no-load-balancer: fails a LoadBalancer Service, passes NodePort", () => {
        assert.match(
            violationsOf(
                "no-load-balancer",
                resourceArgs("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec: { type: "LoadBalancer" } }),
            )[0],
            /LoadBalancer, which never becomes ready on kind/,
        );
        assert.deepEqual(
            violationsOf(
                "no-load-balancer",
                resourceArgs("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec: { type: "NodePort" } }),
            ),
            [],
        );
    });

    it("local-images-not-pulled: fails a local image that would be pulled, passes Never and IfNotPresent", () => {
        assert.equal(
            violationsOf(
                "local-images-not-pulled",
                deployment({ image: "localhost/kubernaut/ds:abc", imagePullPolicy: "Always" }),
            ).length,
            1,
        );
        assert.equal(
            violationsOf("local-images-not-pulled", deployment({ image: "localhost/kubernaut/ds:abc" })).length,
            1,
            "unset is not enough to be sure",
        );
        assert.deepEqual(
            violationsOf(
                "local-images-not-pulled",
                deployment({ image: "localhost/kubernaut/ds:abc", imagePullPolicy: "Never" }),
            ),
            [],
        );
        assert.deepEqual(
            violationsOf(
                "local-images-not-pulled",
                deployment({ image: "docker.io/library/postgres:16", imagePullPolicy: "Always" }),
            ),
            [],
        );
    });

    it("readiness-probes: fails a Deployment container without one", () => {
        assert.match(
            violationsOf("readiness-probes", deployment({ image: "x:1" }))[0],
            /container `c` has no readinessProbe/,
        );
        assert.deepEqual(
            violationsOf(
                "readiness-probes",
                deployment({ image: "x:1", readinessProbe: { httpGet: { path: "/", port: 80 } } }),
            ),
            [],
        );
    });

    it("await-timeouts: fails an awaited object without a timeout, passes with one or with skipAwait", () => {
        assert.match(
            violationsOf("await-timeouts", deployment({ image: "x:1" }, {}))[0],
            /awaited without `pulumi.com\/timeoutSeconds`/,
        );
        assert.deepEqual(violationsOf("await-timeouts", deployment({ image: "x:1" })), []);
        assert.deepEqual(
            violationsOf(
                "await-timeouts",
                resourceArgs("kubernetes:core/v1:PersistentVolumeClaim", {
                    metadata: { name: "p", annotations: { "pulumi.com/skipAwait": "true" } },
                }),
            ),
            [],
        );
        assert.equal(
            violationsOf(
                "await-timeouts",
                resourceArgs("kubernetes:core/v1:Secret", {
                    metadata: { name: "t", annotations: { "pulumi.com/waitFor": "jsonpath={.data.token}" } },
                }),
            ).length,
            1,
        );
        assert.deepEqual(
            violationsOf("await-timeouts", resourceArgs("kubernetes:core/v1:ConfigMap", { metadata: { name: "c" } })),
            [],
        );
    });

    it("no-secrets-in-configmaps: fails secret-looking keys and private keys, passes a CA certificate", () => {
        const cm = (data: Record<string, string>) =>
            resourceArgs("kubernetes:core/v1:ConfigMap", { metadata: { name: "cm" }, data });
        assert.match(
            violationsOf("no-secrets-in-configmaps", cm({ "db-password": "x" }))[0],
            /entry `db-password`, which looks secret/,
        );
        assert.match(
            violationsOf("no-secrets-in-configmaps", cm({ "tls.pem": "-----BEGIN EC PRIVATE KEY-----\n" }))[0],
            /holds a private key/,
        );
        assert.deepEqual(
            violationsOf(
                "no-secrets-in-configmaps",
                cm({ "ca.crt": "-----BEGIN CERTIFICATE-----\n", "policy.rego": "package x", "keyspace.yaml": "a: 1" }),
            ),
            [],
        );
    });

    it("dockerfile-errors: reports the lint's errors for a ContainerImage build, not its warnings", () => {
        const dir = tempDir("df");
        const bad = path.join(dir, "bad.Dockerfile");
        fs.writeFileSync(bad, "FROM ubi:latest\nRUN dnf update -y\n");
        const build = (dockerfile: string) =>
            resourceArgs(STEP_TYPE, {
                step: "image",
                create: { verb: "build", flags: { context: dir, dockerfile, repository: "localhost/x" } },
            });
        const found = violationsOf("dockerfile-errors", build(bad));
        assert.deepEqual(
            found.map((v) => v.split(" ")[1]),
            ["no-package-upgrade"],
        );
        assert.match(found[0], /bad\.Dockerfile:2 no-package-upgrade/);
        const good = path.join(dir, "good.Dockerfile");
        fs.writeFileSync(good, "FROM ubi:latest\nRUN dnf install -y git\n");
        assert.deepEqual(violationsOf("dockerfile-errors", build(good)), []);
    });

    it("node-ports: fails a NodePort outside the range or used twice in the stack", async () => {
        const svc = (name: string, nodePort: number) =>
            resourceArgs(
                "kubernetes:core/v1:Service",
                { metadata: { name }, spec: { type: "NodePort", ports: [{ port: 80, nodePort }] } },
                name,
            );
        const found = await stackViolationsOf("node-ports", [svc("a", 30081), svc("b", 30081), svc("c", 8080)]);
        assert.deepEqual(
            found.map((v) => v.message),
            [
                "Service `b` NodePort 30081 is also used by Service `a`",
                "Service `c` NodePort 8080 is outside 30000-32767",
            ],
        );
        assert.ok(found[0].urn?.endsWith("::b"));
        assert.deepEqual(await stackViolationsOf("node-ports", [svc("a", 30081), svc("b", 30181)]), []);
    });

    it("stacks-isolated: fails host ports, cluster names or kubeconfigs shared with another stack of the project", async () => {
        const create = (stack: string, name: string, hostPort: number, kubeconfig: string) => ({
            ...resourceArgs(STEP_TYPE, {
                step: "cluster",
                create: {
                    verb: "create",
                    flags: {
                        name,
                        kubeconfig,
                        "config-yaml": {
                            kind: "Cluster",
                            nodes: [{ role: "control-plane", extraPortMappings: [{ containerPort: 30080, hostPort }] }],
                        },
                    },
                },
            }),
            urn: `urn:pulumi:${stack}::kubernaut-e2e::kubernaut-e2e:components:KindCluster$${STEP_TYPE}::cluster-create`,
        });
        const found = await stackViolationsOf("stacks-isolated", [
            create("new-e2e", "smoke-e2e", 38080, path.join(PROJECT_ROOT, ".work", "smoke-e2e", "kubeconfig")),
        ]);
        assert.deepEqual(
            found.map((v) => v.message),
            [
                "node port 30080 mapping (38080) is also stack `smoke-e2e`'s `kubernaut-e2e:hostPort` (Pulumi.smoke-e2e.yaml), so the two stacks could not run at once",
                "cluster name `smoke-e2e` is also stack `smoke-e2e`'s",
                `kubeconfig \`${path.join(PROJECT_ROOT, ".work", "smoke-e2e", "kubeconfig")}\` is also stack \`smoke-e2e\`'s`,
            ],
        );
        assert.deepEqual(
            await stackViolationsOf("stacks-isolated", [create("new-e2e", "new-e2e", 38999, "/tmp/new/kubeconfig")]),
            [],
        );
        // A lane's own stack takes Kubernaut's cluster name (remediationorchestrator-e2e's is ro-e2e), and the check
        // knows it.
        const taken = await stackViolationsOf("stacks-isolated", [
            create("new-e2e", "ro-e2e", 38999, "/tmp/new/kubeconfig"),
        ]);
        assert.deepEqual(
            taken.map((v) => v.message),
            ["cluster name `ro-e2e` is also stack `remediationorchestrator-e2e`'s"],
        );
    });

    it("stacks-isolated: on a shared cluster, fails cluster-scoped objects and namespaces not named for the stack, and lets the CRDs be shared", async () => {
        const at = (stack: string, type: string, name: string, props: Record<string, unknown> = {}) => ({
            ...resourceArgs(type, { metadata: { name }, ...props }, name),
            urn: `urn:pulumi:${stack}::kubernaut-e2e::${type}::${name}`,
        });
        const stack = "sp-7";
        const found = await stackViolationsOf("stacks-isolated", [
            at(stack, "kubernaut-e2e:components:ExistingCluster", "cluster"),
            at(stack, "kubernetes:core/v1:Namespace", "sp-7"),
            at(stack, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "actiontypes.kubernaut.ai"),
            at(stack, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "data-storage-client-sp-7"),
            at(stack, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "data-storage-client"),
            at(stack, "kubernetes:core/v1:Namespace", "kubernaut-system"),
        ]);
        assert.deepEqual(
            found.map((v) => v.message),
            [
                "ClusterRole `data-storage-client` on a shared cluster is not named for stack `sp-7`, so another stack could own it too",
                "Namespace `kubernaut-system` on a shared cluster is not named for stack `sp-7`, so another stack could own it too",
            ],
        );
    });
});

describe("enforcement", () => {
    it("makes the Dockerfile rule advisory and every other rule mandatory by default", () => {
        const levels = readEnforcement();
        assert.equal(levels.get("dockerfile-errors"), "advisory");
        for (const rule of RULES.filter((r) => r.name !== "dockerfile-errors"))
            assert.equal(levels.get(rule.name), "mandatory", rule.name);
        assert.deepEqual(
            policies(levels).map((p) => [p.name, p.enforcementLevel]),
            RULES.map((r) => [r.name, levels.get(r.name)]),
        );
    });

    it("fails on an unknown rule or level, naming the file", () => {
        const file = path.join(tempDir("enf"), "enforcement.yaml");
        fs.writeFileSync(file, "dockerfile-errors: sometimes\nno-such-rule: mandatory\n");
        assert.throws(
            () => readEnforcement(file),
            (err: Error) =>
                /enforcement\.yaml: invalid enforcement/.test(err.message) &&
                /`dockerfile-errors`: expected one of advisory, mandatory, disabled, got `sometimes`/.test(
                    err.message,
                ) &&
                /`no-such-rule`: not a rule/.test(err.message),
        );
    });
});

describe("lint:stack (the offline path)", () => {
    before(() => {
        process.env.KUBERNAUT_E2E_WORK_ROOT = tempDir("lint-work");
        process.env.KUBERNAUT_ROOT = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");
    });

    for (const stack of ["smoke-e2e", "signalprocessing-e2e"]) {
        it(`passes the project's own ${stack}`, async () => {
            const plan = await planStack(stack);
            const violations = await evaluate(
                plan.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs })),
                readEnforcement(),
            );
            assert.deepEqual(violations, []);
        });
    }

    it("warns but passes a checkout whose Dockerfile still runs dnf update, and fails once the team opts in", async () => {
        const copy = tempDir("kubernaut-dnf");
        fs.cpSync(path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut"), copy, { recursive: true });
        fs.appendFileSync(path.join(copy, "docker", "data-storage.Dockerfile"), "RUN microdnf update -y\n");
        const plan = await planStack("signalprocessing-e2e", {
            configOverrides: { "kubernaut-e2e:kubernautRoot": copy },
        });
        const resources = plan.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs }));
        const advisory = await evaluate(resources, readEnforcement());
        assert.deepEqual(
            advisory.map((v) => [v.rule, v.enforcement]),
            [["dockerfile-errors", "advisory"]],
        );
        assert.match(advisory[0].message, /data-storage\.Dockerfile:\d+ no-package-upgrade `microdnf update`/);
        const optedIn = new Map(readEnforcement()).set("dockerfile-errors", "mandatory");
        assert.equal((await evaluate(resources, optedIn))[0].enforcement, "mandatory");
    });
});
