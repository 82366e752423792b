/**
 * Bad input, across stacks: each malformed value fails before any resource is registered, with a non-zero exit of
 * `plan`, naming the config key (or file) at fault. One table, one row per rule.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { planProgram } from "../../tools/plan.js";
import { planWithOverrides } from "../../tools/plan-stack.js";
import main from "../../stacks/index.js";
import { rejection } from "../support/plan.js";
import { tempDir } from "../support/steps.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");
const noCrds = tempDir("no-crds");
fs.cpSync(FIXTURE, noCrds, { recursive: true });
fs.rmSync(path.join(noCrds, "config"), { recursive: true });

interface Case {
    readonly name: string;
    readonly stack: "smoke-e2e" | "signalprocessing-e2e";
    readonly set: readonly string[];
    /** What the error must say: the key or file at fault. */
    readonly names: RegExp;
}

const SP = (...set: string[]): readonly string[] => [`kubernautRoot=${FIXTURE}`, ...set];

const CASES: readonly Case[] = [
    {
        name: "a boolean that is not one",
        stack: "smoke-e2e",
        set: ["clusterAfterBuilds=maybe"],
        names: /`kubernaut-e2e:clusterAfterBuilds` \(from --set\): .*boolean/,
    },
    {
        name: "a port above 65535",
        stack: "smoke-e2e",
        set: ["hostPort=70000"],
        names: /`kubernaut-e2e:hostPort` .*65535/,
    },
    {
        name: "a port that is not a number",
        stack: "smoke-e2e",
        set: ["hostPort=abc"],
        names: /`kubernaut-e2e:hostPort` .*number/,
    },
    {
        name: "an engine that is not docker or podman",
        stack: "smoke-e2e",
        set: ["engine=containerd"],
        names: /`kubernaut-e2e:engine`/,
    },
    {
        name: "a cluster name with shell metacharacters",
        stack: "smoke-e2e",
        set: ["clusterName=x; rm -rf ~"],
        names: /`kubernaut-e2e:clusterName` .*not a kind cluster name/,
    },
    {
        name: "a cluster name of 51 characters",
        stack: "smoke-e2e",
        set: [`clusterName=${"a".repeat(51)}`],
        names: /`kubernaut-e2e:clusterName` .*at most 50/,
    },
    {
        name: "an unpinned node image",
        stack: "smoke-e2e",
        set: ["nodeImage=kindest/node:latest"],
        names: /`kubernaut-e2e:nodeImage` .*not pinned by digest/,
    },
    {
        name: "a node image with a short digest",
        stack: "smoke-e2e",
        set: ["nodeImage=kindest/node:v1@sha256:abc"],
        names: /`kubernaut-e2e:nodeImage` .*not pinned/,
    },
    {
        name: "a negative wait",
        stack: "smoke-e2e",
        set: ["clusterWaitSeconds=-1"],
        names: /`kubernaut-e2e:clusterWaitSeconds`/,
    },
    {
        name: "a wait of more than an hour",
        stack: "smoke-e2e",
        set: ["clusterWaitSeconds=99999"],
        names: /`kubernaut-e2e:clusterWaitSeconds`/,
    },
    {
        name: "an unknown key (a typo)",
        stack: "smoke-e2e",
        set: ["clusterAfterBuild=true"],
        names: /`kubernaut-e2e:clusterAfterBuild` .*is not a known key/,
    },
    {
        name: "an engine binary that does not exist",
        stack: "smoke-e2e",
        set: ["engineBinary=/nonexistent/docker"],
        names: /`kubernaut-e2e:engineBinary` .*does not exist/,
    },
    {
        name: "a kind binary that is a command substitution",
        stack: "smoke-e2e",
        set: ["kindBinary=$(touch /tmp/ke2e-pwned)"],
        names: /`kubernaut-e2e:kindBinary` .*does not exist/,
    },
    {
        name: "an environment no program has",
        stack: "smoke-e2e",
        set: ["environment=nope-e2e"],
        names: /no stack program for environment `nope-e2e`; set `kubernaut-e2e:environment` to one of/,
    },
    {
        name: "a PostgreSQL image that is not a reference",
        stack: "signalprocessing-e2e",
        set: SP("postgresImage=Not An Image"),
        names: /`kubernaut-e2e:postgresImage`/,
    },
    {
        name: "a Redis image with a shell separator",
        stack: "signalprocessing-e2e",
        set: SP("redisImage=redis:7;rm -rf /"),
        names: /`kubernaut-e2e:redisImage`/,
    },
    {
        name: "a builder image that is not a reference",
        stack: "signalprocessing-e2e",
        set: SP("builderImage=$(id)"),
        names: /`kubernaut-e2e:builderImage`/,
    },
    {
        name: "a host port of 0",
        stack: "signalprocessing-e2e",
        set: SP('hostPorts={"postgres":0}'),
        names: /`kubernaut-e2e:hostPorts\.postgres`/,
    },
    {
        name: "an unknown host-port key",
        stack: "signalprocessing-e2e",
        set: SP('hostPorts={"bogus":31000}'),
        names: /`kubernaut-e2e:hostPorts\.bogus` \(from --set\): is not a known key/,
    },
    {
        name: "two of a stack's ports on one number",
        stack: "signalprocessing-e2e",
        set: SP('hostPorts={"postgres":30081}'),
        names: /`kubernaut-e2e:hostPorts\.dataStorage` and `kubernaut-e2e:hostPorts\.postgres` are both 30081/,
    },
    {
        name: "a port another stack publishes",
        stack: "signalprocessing-e2e",
        set: SP('hostPorts={"signalProcessingMetrics":38080}'),
        names: /stack `smoke-e2e`'s `kubernaut-e2e:hostPort`/,
    },
    {
        name: "a policy file outside the checkout",
        stack: "signalprocessing-e2e",
        set: SP("policyFile=../../etc/passwd"),
        names: /`kubernaut-e2e:policyFile` .*leaves the checkout/,
    },
    {
        name: "a policy file that does not exist",
        stack: "signalprocessing-e2e",
        set: SP("policyFile=charts/missing.rego"),
        names: /missing\.rego \(`kubernaut-e2e:policyFile`\)/,
    },
    {
        name: "a checkout that does not exist",
        stack: "signalprocessing-e2e",
        set: ["kubernautRoot=/nonexistent/kubernaut"],
        names: /\/nonexistent\/kubernaut \(the root itself\)/,
    },
    {
        name: "a checkout without CRDs",
        stack: "signalprocessing-e2e",
        set: [`kubernautRoot=${noCrds}`],
        names: /config\/crd\/bases\/\*\.yaml/,
    },
    {
        name: "a coverage flag that is not a boolean",
        stack: "signalprocessing-e2e",
        set: SP("coverage=yes"),
        names: /`kubernaut-e2e:coverage`/,
    },
    {
        name: "a replacement Dockerfile for an image the lane has not",
        stack: "signalprocessing-e2e",
        set: SP('dockerfiles={"gateway":"toolchain/ubi/db-migrate.Dockerfile"}'),
        names: /`kubernaut-e2e:dockerfiles\.gateway` \(from --set\): is not a known key/,
    },
    {
        name: "a replacement Dockerfile that does not exist",
        stack: "signalprocessing-e2e",
        set: SP('dockerfiles={"db-migrate":"toolchain/ubi/missing.Dockerfile"}'),
        names: /`kubernaut-e2e:dockerfiles\.db-migrate`: `.*toolchain\/ubi\/missing\.Dockerfile` is not a file/,
    },
    {
        name: "a preload flag given as a number",
        stack: "signalprocessing-e2e",
        set: SP("preloadThirdPartyImages=1"),
        names: /`kubernaut-e2e:preloadThirdPartyImages`/,
    },
];

describe("bad input", () => {
    it("has a row for at least 25 rules", () => assert.ok(CASES.length >= 25));

    for (const c of CASES) {
        it(`fails on ${c.name}, naming it, before registering anything`, async () => {
            const err = await rejection(() => planWithOverrides("plan", c.stack, c.set));
            assert.match(err.message, c.names);
            assert.deepEqual(err.registered ?? [], [], "nothing but the stack itself is registered");
            const cli = await execa(
                "node",
                [path.join(PROJECT_ROOT, "bin", "cli", "plan.js"), c.stack, ...c.set.flatMap((s) => ["--set", s])],
                { reject: false },
            );
            assert.notEqual(cli.exitCode, 0);
            assert.match(String(cli.stderr), c.names);
        });
    }

    it("fails naming the file on a malformed Pulumi.<stack>.yaml", async () => {
        const root = tempDir("bad-yaml");
        fs.writeFileSync(path.join(root, "Pulumi.smoke-e2e.yaml"), "config:\n  kubernaut-e2e:hostPort: [unclosed\n");
        const err = await rejection(() => planProgram("smoke-e2e", main, { projectRoot: root }));
        assert.match(err.message, /Pulumi\.smoke-e2e\.yaml: invalid YAML/);
        fs.writeFileSync(path.join(root, "Pulumi.smoke-e2e.yaml"), "config: just a string\n");
        assert.match(
            (await rejection(() => planProgram("smoke-e2e", main, { projectRoot: root }))).message,
            /Pulumi\.smoke-e2e\.yaml: expected a mapping/,
        );
    });

    it("never runs a value as a command", () => assert.equal(fs.existsSync("/tmp/ke2e-pwned"), false));
});
