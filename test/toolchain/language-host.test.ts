/**
 * The toolchain's Node.js language host: the command line and environment it gives `@pulumi/pulumi/cmd/run`, the
 * plugins it reports for a program, and its gRPC service answering as a separate process, the way the engine starts it.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, it } from "node:test";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as languageRpcTypes from "@pulumi/pulumi/proto/language_grpc_pb.js";
import type * as languageTypes from "@pulumi/pulumi/proto/language_pb.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { configEnvironment, runArguments } from "../../toolchain/language-host/host.js";
import { requiredPackages } from "../../toolchain/language-host/packages.js";
import { tempDir, writeTree } from "../support/steps.js";

const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof grpcTypes;
const languageRpc = require("@pulumi/pulumi/proto/language_grpc_pb.js") as typeof languageRpcTypes;
const languageProto = require("@pulumi/pulumi/proto/language_pb.js") as typeof languageTypes;

function runRequest(): languageTypes.RunRequest {
    const info = new languageProto.ProgramInfo();
    info.setRootDirectory("/p");
    info.setProgramDirectory("/p/bin/stacks");
    info.setEntryPoint("index.js");
    const request = new languageProto.RunRequest();
    request.setMonitorAddress("127.0.0.1:1");
    request.setProject("kubernaut-e2e");
    request.setStack("smoke-e2e");
    request.setOrganization("organization");
    request.setDryrun(true);
    request.setParallel(8);
    request.setInfo(info);
    request.getConfigMap().set("kubernaut-e2e:hostPort", "38080");
    request.setConfigsecretkeysList(["kubernaut-e2e:postgresPassword"]);
    return request;
}

describe("language host", () => {
    it("starts cmd/run with the monitor, engine, project, stack, directory and preview flags, then the program", () => {
        assert.deepEqual(runArguments(runRequest(), "/sdk/cmd/run/index.js", "127.0.0.1:2"), [
            "/sdk/cmd/run/index.js",
            "--monitor",
            "127.0.0.1:1",
            "--engine",
            "127.0.0.1:2",
            "--organization",
            "organization",
            "--project",
            "kubernaut-e2e",
            "--root-directory",
            "/p",
            "--stack",
            "smoke-e2e",
            "--pwd",
            "/p/bin/stacks",
            "--dry-run",
            "--parallel",
            "8",
            "index.js",
        ]);
    });

    it("passes configuration as the SDK reads it, with the secret keys", () => {
        assert.deepEqual(configEnvironment(runRequest()), {
            PULUMI_CONFIG: JSON.stringify({ "kubernaut-e2e:config:hostPort": "38080" }),
            PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["kubernaut-e2e:postgresPassword"]),
        });
    });

    it("reports the resource plugins a program's node_modules declare, nested ones too", () => {
        const dir = tempDir("program");
        writeTree(dir, {
            "node_modules/@pulumi/kubernetes/package.json": JSON.stringify({
                name: "@pulumi/kubernetes",
                version: "4.25.0",
                pulumi: { resource: true, name: "kubernetes" },
            }),
            "node_modules/@pulumi/pulumi/package.json": JSON.stringify({ name: "@pulumi/pulumi", version: "3.248.0" }),
            "node_modules/x/node_modules/@acme/thing/package.json": JSON.stringify({
                name: "@acme/thing",
                version: "1.0.0",
                pulumi: { resource: true, server: "https://example.invalid" },
            }),
            "node_modules/x/package.json": JSON.stringify({ name: "x" }),
        });
        assert.deepEqual(requiredPackages(path.join(dir, "bin"), dir), [
            { name: "@acme/thing", version: "1.0.0", server: "https://example.invalid" },
            { name: "kubernetes", version: "4.25.0", server: undefined },
        ]);
    });

    it("serves GetRequiredPackages as a process started like a plugin, printing its port first", async () => {
        const child = spawn(
            process.execPath,
            [path.join(PROJECT_ROOT, "bin", "toolchain", "language-host", "index.js")],
            { stdio: ["ignore", "pipe", "inherit"] },
        );
        try {
            const port = await new Promise<string>((resolve, reject) => {
                child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
                child.once("exit", (code) => reject(new Error(`exited ${code}`)));
            });
            assert.match(port, /^\d+$/);
            const client = new languageRpc.LanguageRuntimeClient(
                `127.0.0.1:${port}`,
                grpc.credentials.createInsecure(),
            );
            const request = new languageProto.GetRequiredPackagesRequest();
            const info = new languageProto.ProgramInfo();
            info.setProgramDirectory(path.join(PROJECT_ROOT, "bin", "stacks"));
            info.setRootDirectory(PROJECT_ROOT);
            request.setInfo(info);
            const response = await new Promise<languageTypes.GetRequiredPackagesResponse>((resolve, reject) =>
                client.getRequiredPackages(request, (err, res) => (err ? reject(err) : resolve(res))),
            );
            const kubernetes = response.getPackagesList().find((p) => p.getName() === "kubernetes");
            assert.equal(kubernetes?.getVersion(), "4.25.0");
            client.close();
        } finally {
            child.kill();
        }
    });
});
