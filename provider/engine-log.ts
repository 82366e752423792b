/**
 * Progress from the provider to the engine's display. A provider's own stderr goes only to the engine's log file, so
 * step output is sent through the engine's `Log` RPC instead: ephemeral lines show beside the resource while it runs
 * (as the Command provider streams its output), and warnings stay in the diagnostics.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineRpcTypes from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import type * as engineTypes from "@pulumi/pulumi/proto/engine_pb.js";

// The SDK's generated gRPC stubs are CommonJS without named ESM exports.
const require = createRequire(import.meta.url);
const grpc = require("@grpc/grpc-js") as typeof grpcTypes;
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb.js") as typeof engineRpcTypes;
const engineProto = require("@pulumi/pulumi/proto/engine_pb.js") as typeof engineTypes;

export type LogLevel = "info" | "warning";

export interface EngineLog {
    /** Sends `message` about the resource `urn`; never throws (a lost progress line must not fail a step). */
    log(urn: string, level: LogLevel, message: string, ephemeral: boolean): void;
}

/** A log that forwards to the engine at `address`, or drops lines when the provider runs without one (tests). */
export function engineLog(address: string | undefined): EngineLog {
    if (!address) return { log: () => undefined };
    const client = new engineRpc.EngineClient(address, grpc.credentials.createInsecure());
    return {
        log(urn, level, message, ephemeral) {
            const request = new engineProto.LogRequest();
            request.setSeverity(level === "warning" ? engineProto.LogSeverity.WARNING : engineProto.LogSeverity.INFO);
            request.setMessage(message);
            request.setUrn(urn);
            request.setEphemeral(ephemeral);
            client.log(request, () => undefined);
        },
    };
}

/** The engine's address: the first argument the engine starts a provider with, after its logging flags. */
export function engineAddressFrom(argv: readonly string[]): string | undefined {
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--tracing") i++;
        else if (argv[i] !== "--logtostderr" && !argv[i].startsWith("-v=")) rest.push(argv[i]);
    }
    return rest[0];
}
