/**
 * A Pulumi language host for Node.js programs: the engine starts it (`pulumi-language-nodejs <engine address>`), it
 * prints the port of its `LanguageRuntime` service, and `Run` starts the program through `@pulumi/pulumi/cmd/run`
 * from the program's own `node_modules`, which connects to the engine's resource monitor itself.
 *
 * The toolchain needs its own because Pulumi's Go host is not served by the module proxy these machines reach. It
 * implements what `preview`, `up`, `destroy`, `refresh` and policy packs use (handshake, required packages, run, run
 * plugin, cancel); code generation, templates and dependency installation are Pulumi's host's and answer
 * UNIMPLEMENTED. The contract followed is the one the SDK's `cmd/run` documents: flags `--monitor`, `--engine`,
 * `--project`, `--stack`, `--pwd`, `--dry-run`, `--parallel`, `--organization`, `--root-directory`, then the program;
 * configuration in `PULUMI_CONFIG` (keys as `<namespace>:config:<name>`) and `PULUMI_CONFIG_SECRET_KEYS`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as languageRpcTypes from "@pulumi/pulumi/proto/language_grpc_pb.js";
import type * as languageTypes from "@pulumi/pulumi/proto/language_pb.js";
import type * as pluginTypes from "@pulumi/pulumi/proto/plugin_pb.js";
import { requiredPackages } from "./packages.js";

const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof grpcTypes;
const languageRpc = require("@pulumi/pulumi/proto/language_grpc_pb.js") as typeof languageRpcTypes;
const languageProto = require("@pulumi/pulumi/proto/language_pb.js") as typeof languageTypes;
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb.js") as typeof pluginTypes;
const emptyProto = require("google-protobuf/google/protobuf/empty_pb.js") as { Empty: new () => unknown };

/** `@pulumi/pulumi/cmd/run` exits with this after printing an error the user can act on: no further message. */
const EXIT_AFTER_USER_MESSAGE = 32;

type Callback<Res> = (error: grpcTypes.ServiceError | null, response?: Res) => void;

function unimplemented(name: string) {
    return (_call: unknown, callback: Callback<never>) =>
        callback(
            Object.assign(new Error(`${name} is not supported by kubernaut-e2e's language host`), {
                code: grpc.status.UNIMPLEMENTED,
                details: `${name} is not supported`,
                metadata: new grpc.Metadata(),
            }),
        );
}

/** `@pulumi/pulumi/<module>` resolved from the program's directory, as the program itself will resolve it. */
function sdkModule(module: string, programDir: string): string {
    try {
        return require.resolve(`@pulumi/pulumi/${module}`, { paths: [programDir] });
    } catch {
        throw new Error(`@pulumi/pulumi is not installed for the program in ${programDir}; run \`npm install\` there`);
    }
}

/** The arguments of `cmd/run` for `request`, in the order its usage documents. */
export function runArguments(request: languageTypes.RunRequest, runPath: string, engineAddress: string): string[] {
    const info = request.getInfo();
    const args = [runPath, "--monitor", request.getMonitorAddress()];
    const add = (flag: string, value: string | number | undefined) => {
        if (value !== undefined && value !== "" && value !== 0) args.push(`--${flag}`, String(value));
    };
    add("engine", engineAddress);
    add("organization", request.getOrganization());
    add("project", request.getProject());
    add("root-directory", info?.getRootDirectory());
    add("stack", request.getStack());
    add("pwd", info?.getProgramDirectory());
    if (request.getDryrun()) args.push("--dry-run");
    add("parallel", request.getParallel());
    args.push(info?.getEntryPoint() || ".", ...request.getArgsList());
    return args;
}

/** `PULUMI_CONFIG` as the SDK reads it: `<namespace>:<name>` keys become `<namespace>:config:<name>`. */
export function configEnvironment(request: languageTypes.RunRequest): Record<string, string> {
    const config: Record<string, string> = {};
    request.getConfigMap().forEach((value, key) => {
        const colon = key.indexOf(":");
        config[colon < 0 ? key : `${key.slice(0, colon)}:config:${key.slice(colon + 1)}`] = value;
    });
    return {
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
    };
}

/** Environment from the project's runtime options (`typescript`, `tsconfig`). */
function optionsEnvironment(info: languageTypes.ProgramInfo | undefined): Record<string, string> {
    const options = (info?.getOptions()?.toJavaScript() ?? {}) as { typescript?: boolean; tsconfig?: string };
    const env: Record<string, string> = {};
    if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    return env;
}

export function languageHostService(initialEngineAddress: string) {
    let engineAddress = initialEngineAddress;
    const children = new Set<ChildProcess>();
    const track = (child: ChildProcess) => {
        children.add(child);
        child.on("exit", () => children.delete(child));
        return child;
    };
    return {
        handshake(
            call: { request: languageTypes.LanguageHandshakeRequest },
            callback: Callback<languageTypes.LanguageHandshakeResponse>,
        ) {
            engineAddress = call.request.getEngineAddress() || engineAddress;
            callback(null, new languageProto.LanguageHandshakeResponse());
        },
        getPluginInfo(_call: unknown, callback: Callback<pluginTypes.PluginInfo>) {
            const info = new pluginProto.PluginInfo();
            info.setVersion((require("@pulumi/pulumi/package.json") as { version: string }).version);
            callback(null, info);
        },
        getRequiredPlugins: unimplemented("GetRequiredPlugins"),
        getRequiredPackages(
            call: { request: languageTypes.GetRequiredPackagesRequest },
            callback: Callback<languageTypes.GetRequiredPackagesResponse>,
        ) {
            const info = call.request.getInfo();
            const response = new languageProto.GetRequiredPackagesResponse();
            try {
                response.setPackagesList(
                    requiredPackages(info?.getProgramDirectory() ?? ".", info?.getRootDirectory() || undefined).map(
                        (p) => {
                            const dependency = new pluginProto.PackageDependency();
                            dependency.setKind("resource");
                            dependency.setName(p.name);
                            dependency.setVersion(p.version);
                            if (p.server) dependency.setServer(p.server);
                            return dependency;
                        },
                    ),
                );
            } catch (err) {
                process.stderr.write(
                    `pulumi-language-nodejs: could not list the program's packages: ${(err as Error).message}\n`,
                );
            }
            callback(null, response);
        },
        run(call: { request: languageTypes.RunRequest }, callback: Callback<languageTypes.RunResponse>) {
            const { request } = call;
            const response = new languageProto.RunResponse();
            let runPath: string;
            try {
                runPath = sdkModule("cmd/run", request.getInfo()?.getProgramDirectory() ?? ".");
            } catch (err) {
                response.setError((err as Error).message);
                callback(null, response);
                return;
            }
            const child = track(
                spawn(process.execPath, runArguments(request, runPath, engineAddress), {
                    env: { ...process.env, ...configEnvironment(request), ...optionsEnvironment(request.getInfo()) },
                    stdio: ["ignore", "inherit", "inherit"],
                }),
            );
            child.on("error", (err) => {
                response.setError(`could not start the program: ${err.message}`);
                callback(null, response);
            });
            child.on("exit", (code, signal) => {
                if (code === EXIT_AFTER_USER_MESSAGE) response.setBail(true);
                else if (code !== 0) response.setError(`Program exited with non-zero exit code: ${code ?? signal}`);
                callback(null, response);
            });
        },
        runPlugin(
            call: grpcTypes.ServerWritableStream<languageTypes.RunPluginRequest, languageTypes.RunPluginResponse>,
        ) {
            const { request } = call;
            const info = request.getInfo();
            const programDir = info?.getProgramDirectory() ?? request.getPwd();
            const send = (fill: (r: languageTypes.RunPluginResponse) => void) => {
                const r = new languageProto.RunPluginResponse();
                fill(r);
                call.write(r);
            };
            try {
                // A policy pack (an analyzer) gets its directory last; other plugins first, then their arguments.
                const analyzer = request.getKind() === "analyzer";
                const entry = sdkModule(analyzer ? "cmd/run-policy-pack" : "cmd/run-plugin", programDir);
                const args = analyzer
                    ? [entry, ...request.getArgsList(), programDir]
                    : [entry, programDir, ...request.getArgsList()];
                const env = Object.fromEntries(
                    request.getEnvList().map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
                );
                const child = track(
                    spawn(process.execPath, args, {
                        cwd: analyzer ? programDir : request.getPwd() || programDir,
                        env: { ...process.env, ...env, ...optionsEnvironment(info) },
                        stdio: ["ignore", "pipe", "pipe"],
                    }),
                );
                child.stdout?.on("data", (chunk: Buffer) => send((r) => r.setStdout(chunk)));
                child.stderr?.on("data", (chunk: Buffer) => send((r) => r.setStderr(chunk)));
                child.on("exit", (code) => {
                    send((r) => r.setExitcode(code ?? 1));
                    call.end();
                });
            } catch (err) {
                send((r) => r.setStderr(Buffer.from(`${(err as Error).message}\n`)));
                send((r) => r.setExitcode(1));
                call.end();
            }
        },
        cancel(_call: unknown, callback: Callback<unknown>) {
            for (const child of children) child.kill("SIGINT");
            callback(null, new emptyProto.Empty());
        },
        installDependencies: unimplemented("InstallDependencies"),
        about: unimplemented("About"),
        getProgramDependencies: unimplemented("GetProgramDependencies"),
    };
}

/** Serves the host on a free loopback port and prints the port, as the engine expects of a plugin. */
export async function serveLanguageHost(engineAddress: string): Promise<void> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(languageRpc.LanguageRuntimeService, languageHostService(engineAddress));
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) =>
            err ? reject(err) : resolve(bound),
        ),
    );
    process.stdout.write(`${port}\n`);
}
