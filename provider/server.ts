/**
 * The engine-facing side of the project's provider: a gRPC `ResourceProvider` built on the SDK's generated stubs,
 * routing each call to the handler of the resource's type.
 *
 * It is written out rather than taken from `@pulumi/pulumi/provider` because that server cannot take part in
 * previews: it never tells the engine `supportsPreview`, so the engine treats every output of an updated resource as
 * unknown in `preview`, and a changed kind flag would show every Kubernetes object as replaced. With previews, an
 * update keeps its known outputs, and nothing runs until `up` applies the plan.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb.js";
import type * as pluginTypes from "@pulumi/pulumi/proto/plugin_pb.js";
import type * as providerRpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb.js";
import { typeOfUrn, type Props, type ResourceHandler } from "./handler.js";

// The SDK's generated stubs are CommonJS without named ESM exports.
const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof grpcTypes;
const emptyProto = require("google-protobuf/google/protobuf/empty_pb.js") as { Empty: new () => unknown };
const structProto = require("google-protobuf/google/protobuf/struct_pb.js") as typeof structTypes;
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb.js") as typeof pluginTypes;
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js") as typeof providerRpcTypes;
const providerProto = require("@pulumi/pulumi/proto/provider_pb.js") as typeof providerTypes;

type Call<Req> = { request: Req };
type Callback<Res> = (error: grpcTypes.ServiceError | null, response?: Res) => void;

function props(struct: structTypes.Struct | undefined): Props {
    return struct?.toJavaScript() ?? {};
}

function struct(value: Props): structTypes.Struct {
    return structProto.Struct.fromJavaScript(value as Record<string, structTypes.JavaScriptValue>);
}

function failure(err: unknown): grpcTypes.ServiceError {
    const message = err instanceof Error ? err.message : String(err);
    return Object.assign(new Error(message), {
        code: grpc.status.UNKNOWN,
        details: message,
        metadata: new grpc.Metadata(),
    });
}

/** Answers `callback` with what `work` resolves to, or with its error as the engine shows it. */
function respond<Res>(callback: Callback<Res>, work: () => Promise<Res>): void {
    work().then(
        (res) => callback(null, res),
        (err: unknown) => callback(failure(err)),
    );
}

export interface ProviderServerOptions {
    readonly version: string;
    readonly handlers: Readonly<Record<string, ResourceHandler>>;
    /** Called on the engine's `Cancel` (Ctrl-C): stop running work. */
    readonly cancel: () => Promise<void>;
}

/** The service implementation; exported so tests can call it as the engine would, without a socket. */
export function providerService(options: ProviderServerOptions) {
    const handlerFor = (urn: string): ResourceHandler => {
        const type = typeOfUrn(urn);
        const handler = Object.hasOwn(options.handlers, type) ? options.handlers[type] : undefined;
        if (!handler) throw new Error(`kubernaut-e2e-local: unknown resource type \`${type}\``);
        return handler;
    };
    const empty = () => new emptyProto.Empty() as never;
    return {
        getPluginInfo(_call: unknown, callback: Callback<pluginTypes.PluginInfo>) {
            const info = new pluginProto.PluginInfo();
            info.setVersion(options.version);
            callback(null, info);
        },
        getSchema(_call: unknown, callback: Callback<providerTypes.GetSchemaResponse>) {
            const response = new providerProto.GetSchemaResponse();
            response.setSchema("{}");
            callback(null, response);
        },
        checkConfig(call: Call<providerTypes.CheckRequest>, callback: Callback<providerTypes.CheckResponse>) {
            const response = new providerProto.CheckResponse();
            response.setInputs(call.request.getNews());
            callback(null, response);
        },
        diffConfig(_call: unknown, callback: Callback<providerTypes.DiffResponse>) {
            // The provider has no configuration of its own.
            const response = new providerProto.DiffResponse();
            response.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_NONE);
            callback(null, response);
        },
        configure(_call: unknown, callback: Callback<providerTypes.ConfigureResponse>) {
            const response = new providerProto.ConfigureResponse();
            response.setAcceptsecrets(true);
            response.setSupportspreview(true);
            callback(null, response);
        },
        check(call: Call<providerTypes.CheckRequest>, callback: Callback<providerTypes.CheckResponse>) {
            respond(callback, async () => {
                const outcome = await handlerFor(call.request.getUrn()).check(
                    props(call.request.getOlds()),
                    props(call.request.getNews()),
                );
                const response = new providerProto.CheckResponse();
                response.setInputs(struct(outcome.inputs));
                response.setFailuresList(
                    outcome.failures.map((f) => {
                        const item = new providerProto.CheckFailure();
                        item.setProperty(f.property);
                        item.setReason(f.reason);
                        return item;
                    }),
                );
                return response;
            });
        },
        diff(call: Call<providerTypes.DiffRequest>, callback: Callback<providerTypes.DiffResponse>) {
            respond(callback, async () => {
                const outcome = await handlerFor(call.request.getUrn()).diff(
                    props(call.request.getOlds()),
                    props(call.request.getNews()),
                );
                const response = new providerProto.DiffResponse();
                response.setChanges(
                    outcome.changes
                        ? providerProto.DiffResponse.DiffChanges.DIFF_SOME
                        : providerProto.DiffResponse.DiffChanges.DIFF_NONE,
                );
                response.setReplacesList([...outcome.replaces]);
                response.setDiffsList([...outcome.diffs]);
                response.setDeletebeforereplace(outcome.deleteBeforeReplace ?? false);
                return response;
            });
        },
        create(call: Call<providerTypes.CreateRequest>, callback: Callback<providerTypes.CreateResponse>) {
            respond(callback, async () => {
                const { request } = call;
                const created = await handlerFor(request.getUrn()).create(
                    request.getUrn(),
                    props(request.getProperties()),
                    request.getPreview(),
                );
                const response = new providerProto.CreateResponse();
                response.setId(created.id);
                response.setProperties(struct(created.outs));
                return response;
            });
        },
        update(call: Call<providerTypes.UpdateRequest>, callback: Callback<providerTypes.UpdateResponse>) {
            respond(callback, async () => {
                const { request } = call;
                const outs = await handlerFor(request.getUrn()).update(
                    request.getUrn(),
                    props(request.getOlds()),
                    props(request.getNews()),
                    request.getPreview(),
                );
                const response = new providerProto.UpdateResponse();
                response.setProperties(struct(outs));
                return response;
            });
        },
        read(call: Call<providerTypes.ReadRequest>, callback: Callback<providerTypes.ReadResponse>) {
            respond(callback, async () => {
                const { request } = call;
                const read = await handlerFor(request.getUrn()).read(request.getId(), props(request.getProperties()));
                const response = new providerProto.ReadResponse();
                response.setId(read.id);
                response.setProperties(struct(read.props));
                if (request.getInputs()) response.setInputs(request.getInputs());
                return response;
            });
        },
        delete(call: Call<providerTypes.DeleteRequest>, callback: Callback<unknown>) {
            respond(callback, async () => {
                await handlerFor(call.request.getUrn()).delete(
                    call.request.getUrn(),
                    props(call.request.getProperties()),
                );
                return empty();
            });
        },
        cancel(_call: unknown, callback: Callback<unknown>) {
            respond(callback, async () => {
                await options.cancel();
                return empty();
            });
        },
        attach(_call: unknown, callback: Callback<unknown>) {
            callback(null, empty());
        },
    };
}

/** Serves the provider on a free loopback port and prints the port, as the engine expects of a plugin. */
export async function serveProvider(options: ProviderServerOptions): Promise<void> {
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(providerRpc.ResourceProviderService, providerService(options));
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) =>
            err ? reject(err) : resolve(bound),
        ),
    );
    process.stdout.write(`${port}\n`);
}
