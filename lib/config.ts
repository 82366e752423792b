/**
 * Reads a stack's configuration once, through one zod schema that rejects unknown keys and reports every problem at
 * once, each named by its full config key (`kubernaut-e2e:clusterAfterBuilds`). Nothing is registered before this
 * returns.
 *
 * A value comes from one of three layers, first found wins: the stack's config, the machine's defaults (the offline
 * toolchain's profile: its node image, its image stand-ins), the schema's built-in default. `configSources` says which.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { z } from "zod";
import { parseRegistry, type Registry } from "./registry.js";
import { ENGINE_NAMES } from "./engine.js";
import { executableProblem } from "./executables.js";
import { clusterNameProblem, pinnedImageProblem } from "./names.js";
import { PROJECT_ROOT } from "./stack-scope.js";

export const CONFIG_NAMESPACE = "kubernaut-e2e";

/** The pinned kind node image Kubernaut's configs use (kind v0.32.0's default, Kubernetes v1.36.1). */
export const DEFAULT_NODE_IMAGE =
    "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

export interface CommonDefaults {
    /** `kind create cluster --wait`, in seconds. @default 60 */
    readonly clusterWaitSeconds?: number;
}

/** Keys every stack understands, with the stack's own defaults where they differ. */
export const commonConfig = (defaults: CommonDefaults = {}) => ({
    /** Which stack program to run. @default - the stack name */
    environment: z.string().optional(),
    /** Container engine. @default - auto-detected (`KIND_EXPERIMENTAL_PROVIDER=podman` or only Podman installed) */
    engine: z.enum(ENGINE_NAMES).optional(),
    /**
     * Engine binary; checked to exist and run. @default - `KUBERNAUT_E2E_DOCKER` / `KUBERNAUT_E2E_PODMAN`, then PATH
     */
    engineBinary: z.string().min(1).superRefine(refineWith(executableProblem)).optional(),
    /** kind binary; checked to exist and run. @default - `KUBERNAUT_E2E_KIND`, then PATH */
    kindBinary: z.string().min(1).superRefine(refineWith(executableProblem)).optional(),
    /** kind cluster name. @default - the stack name */
    clusterName: z.string().superRefine(refineWith(clusterNameProblem)).optional(),
    /**
     * Where the cluster's kubeconfig is written; `~/` is the user's home. Kubernaut's suites read
     * `~/.kube/<cluster>-config`. @default - `.work/<stack>/kubeconfig`
     */
    kubeconfigPath: z.string().min(1).optional(),
    /** Create the cluster only after every image is built. @default true */
    clusterAfterBuilds: z.boolean().default(true),
    /** kind node image, pinned by digest. */
    nodeImage: z.string().superRefine(refineWith(pinnedImageProblem)).default(DEFAULT_NODE_IMAGE),
    /** Seconds `kind create cluster --wait` waits. @default 60, or the stack's own */
    clusterWaitSeconds: z
        .number()
        .int()
        .min(0)
        .max(3600)
        .default(defaults.clusterWaitSeconds ?? 60),
    /**
     * Deliver images through this OCI registry (`host:port[/prefix]`, or `{ address, insecure, nodeEndpoint }`)
     * instead of archive loads: each content tag is pushed once, and the cluster pulls. @default - archive loads
     */
    registry: registrySchema().optional(),
});

function registrySchema() {
    const options = z.strictObject({
        address: z.string(),
        insecure: z.boolean().optional(),
        nodeEndpoint: z.string().optional(),
    });
    return z
        .union([z.string(), options], {
            error: "must be `host:port[/prefix]` or `{ address, insecure, nodeEndpoint }`",
        })
        .transform((value, ctx): Registry => {
            try {
                return parseRegistry(value);
            } catch (err) {
                ctx.addIssue({ code: "custom", message: (err as Error).message });
                return z.NEVER;
            }
        });
}

/** Adapts a `names` checker (problem string or undefined) to a zod refinement. */
export function refineWith(check: (value: string) => string | undefined) {
    return (value: string, ctx: z.RefinementCtx) => {
        const problem = check(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    };
}

/** Every `kubernaut-e2e:*` config value, JSON-decoded where it is JSON (objects, arrays, numbers, booleans). */
export function namespaceConfig(all: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(all)) {
        if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
        let value: unknown = raw;
        try {
            value = JSON.parse(raw);
        } catch {
            // a plain string
        }
        result[key.slice(CONFIG_NAMESPACE.length + 1)] = value;
    }
    return result;
}

/** Where a config value came from. */
export type ConfigSource = "stack config" | "toolchain" | "built-in default";

/**
 * Defaults this machine sets beneath the stack's config, by key path (`nodeImage`, `dockerfiles.db-migrate`): the
 * offline toolchain's profile. Keys the stack's schema does not have are ignored.
 */
export interface MachineDefaults {
    readonly values: Readonly<Record<string, unknown>>;
    /** How the layer is named in errors and in `plan`. */
    readonly source: Extract<ConfigSource, "toolchain">;
    /** Where the values were read, for errors. */
    readonly from: string;
}

/** `values` with each machine default the stack's config leaves unset, and the key paths so filled. */
function layered<S extends z.ZodRawShape>(
    shape: S,
    values: Record<string, unknown>,
    machine: MachineDefaults | undefined,
) {
    const merged: Record<string, unknown> = { ...values };
    const filled: string[] = [];
    for (const [keyPath, value] of Object.entries(machine?.values ?? {})) {
        const [key, inner] = keyPath.split(".", 2);
        if (!(key in shape) || value === undefined) continue;
        if (inner === undefined) {
            if (merged[key] !== undefined) continue;
            merged[key] = value;
        } else {
            const object = (merged[key] ?? {}) as Record<string, unknown>;
            if (typeof object !== "object" || object[inner] !== undefined) continue;
            merged[key] = { ...object, [inner]: value };
        }
        filled.push(keyPath);
    }
    return { merged, filled };
}

/**
 * Validates `values` (the stack's config) over `machine`'s defaults with `shape` (made strict), or throws a RunError
 * listing every problem by config key, saying which came from the machine's defaults.
 */
export function parseConfig<S extends z.ZodRawShape>(
    stack: string,
    shape: S,
    values: Record<string, unknown> = namespaceConfig(),
    machine?: MachineDefaults,
): z.infer<z.ZodObject<S>> {
    const { merged, filled } = layered(shape, values, machine);
    const result = z.strictObject(shape).safeParse(merged);
    if (result.success) return result.data;
    const fromMachine = (p: readonly PropertyKey[]) =>
        filled.some((f) => f === p.slice(0, f.split(".").length).map(String).join("."));
    const lines = result.error.issues.flatMap((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
        return keys.map((p) => {
            const via = machine && fromMachine(p) ? ` (from the ${machine.source}'s defaults, ${machine.from})` : "";
            return `  - \`${CONFIG_NAMESPACE}:${p.map(String).join(".")}\`${via}: ${issue.code === "unrecognized_keys" ? "is not a known key" : issue.message}`;
        });
    });
    throw new pulumi.RunError(`stack "${stack}": invalid configuration:\n${lines.join("\n")}`);
}

/**
 * Which layer each value of a parsed config came from, by key path: a key the machine filled inside an object
 * (`dockerfiles.db-migrate`) is listed on its own. Keys with no value at all are left out.
 */
export function configSources<S extends z.ZodRawShape>(
    shape: S,
    values: Record<string, unknown>,
    machine: MachineDefaults | undefined,
    parsed: Record<string, unknown>,
): Record<string, ConfigSource> {
    const { filled } = layered(shape, values, machine);
    const sources: Record<string, ConfigSource> = {};
    for (const key of Object.keys(shape)) {
        const inner = filled.filter((f) => f.startsWith(`${key}.`));
        if (values[key] !== undefined) sources[key] = "stack config";
        else if (filled.includes(key)) sources[key] = "toolchain";
        // An object the machine filled keys of is shown by those keys alone.
        else if (parsed[key] !== undefined && !inner.length) sources[key] = "built-in default";
        for (const path of inner) sources[path] = "toolchain";
    }
    return sources;
}

/** A config check past parsing (e.g. one that needs the engine's name), failing as `parseConfig` does: a RunError. */
export function checkedConfig<T>(stack: string, get: () => T): T {
    try {
        return get();
    } catch (err) {
        throw new pulumi.RunError(`stack "${stack}": invalid configuration: ${(err as Error).message}`);
    }
}

/** Reads `Pulumi.<stack>.yaml`'s `config:` as the engine would pass it: strings, objects JSON-encoded. */
export function readStackConfigFile(stack: string, projectRoot: string = PROJECT_ROOT): Record<string, string> {
    const file = path.join(projectRoot, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return {};
    let doc: { config?: Record<string, unknown> };
    try {
        doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as typeof doc;
    } catch (err) {
        throw new pulumi.RunError(`${file}: invalid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    if (
        typeof doc !== "object" ||
        Array.isArray(doc) ||
        (doc.config !== undefined && (typeof doc.config !== "object" || doc.config === null))
    ) {
        throw new pulumi.RunError(`${file}: expected a mapping with an optional \`config:\` mapping`);
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const isSecure = typeof value === "object" && value !== null && "secure" in value;
        config[key] = isSecure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}
