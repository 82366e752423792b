/**
 * Reads a stack's configuration once, through one zod schema that rejects unknown keys and reports every problem at
 * once, each named by its full config key (`kubernaut-e2e:clusterAfterBuilds`). Nothing is registered before this
 * returns.
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
export const DEFAULT_NODE_IMAGE = "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5";

/** Keys every stack understands. */
export const commonConfig = {
    /** Which stack program to run. @default - the stack name */
    environment: z.string().optional(),
    /** Container engine. @default - auto-detected (`KIND_EXPERIMENTAL_PROVIDER=podman` or only Podman installed) */
    engine: z.enum(ENGINE_NAMES).optional(),
    /** Engine binary; checked to exist and run. @default - `KUBERNAUT_E2E_DOCKER` / `KUBERNAUT_E2E_PODMAN`, then PATH */
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
    /** Seconds `kind create cluster --wait` waits. @default 60 */
    clusterWaitSeconds: z.number().int().min(0).max(3600).default(60),
    /**
     * Deliver images through this OCI registry (`host:port[/prefix]`, or `{ address, insecure, nodeEndpoint }`)
     * instead of archive loads: each content tag is pushed once, and the cluster pulls. @default - archive loads
     */
    registry: registrySchema().optional(),
};

function registrySchema() {
    const options = z.strictObject({ address: z.string(), insecure: z.boolean().optional(), nodeEndpoint: z.string().optional() });
    return z.union([z.string(), options], { error: "must be `host:port[/prefix]` or `{ address, insecure, nodeEndpoint }`" }).transform((value, ctx): Registry => {
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

/**
 * Keys whose default a machine can set through the environment, for setups that differ per machine rather than per
 * stack (the offline toolchain's node image). Stack config still wins.
 */
export const ENVIRONMENT_DEFAULTS: Readonly<Record<string, string>> = { nodeImage: "KUBERNAUT_E2E_NODE_IMAGE" };

/** Validates `values` with `schema` (made strict), or throws a RunError listing every problem by config key. */
export function parseConfig<S extends z.ZodRawShape>(stack: string, shape: S, values: Record<string, unknown> = namespaceConfig(), env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
    const fromEnv = Object.entries(ENVIRONMENT_DEFAULTS).filter(([key, variable]) => key in shape && values[key] === undefined && env[variable]);
    const withEnv = { ...values, ...Object.fromEntries(fromEnv.map(([key, variable]) => [key, env[variable]])) };
    const envOf = new Map(fromEnv);
    const result = z.strictObject(shape).safeParse(withEnv);
    if (result.success) return result.data;
    const lines = result.error.issues.flatMap((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
        return keys.map((p) => {
            const via = envOf.has(String(p[0])) ? ` (from \`${envOf.get(String(p[0]))}\`)` : "";
            return `  - \`${CONFIG_NAMESPACE}:${p.map(String).join(".")}\`${via}: ${issue.code === "unrecognized_keys" ? "is not a known key" : issue.message}`;
        });
    });
    throw new pulumi.RunError(`stack "${stack}": invalid configuration:\n${lines.join("\n")}`);
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
    if (typeof doc !== "object" || Array.isArray(doc) || (doc.config !== undefined && (typeof doc.config !== "object" || doc.config === null))) {
        throw new pulumi.RunError(`${file}: expected a mapping with an optional \`config:\` mapping`);
    }
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const isSecure = typeof value === "object" && value !== null && "secure" in value;
        config[key] = isSecure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

