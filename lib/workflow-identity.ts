/**
 * A RemediationWorkflow's catalogue identity as Kubernaut computes it: `contentHash`, the SHA-256 of the workflow's
 * JSON (`apiVersion`, `kind`, `metadata.name`, `spec`) as Go's `encoding/json` writes the typed object, and
 * `workflowId`, a UUIDv5 of that hash. Lanes without the AuthWebhook write both into the status themselves, and the
 * mock
 * LLM's scenarios name workflows by it, so it must match byte for byte: struct fields in declaration order (Kubernaut's
 * `api/remediationworkflow/v1alpha1` types), `omitempty` fields dropped when empty, free-form JSON with sorted keys
 * (as the API server returns it), and Go's escaping of `<`, `>`, `&`, U+2028 and U+2029.
 */
import * as crypto from "node:crypto";

/** The UUID namespace of Kubernaut's workflow IDs (not RFC 4122's DNS namespace, though it looks alike). */
export const WORKFLOW_ID_NAMESPACE = "6ba7b810-9dad-51d0-80b7-00c04fd430c8";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, unknown>;

/**
 * A field of a Go struct: its JSON name, when it is left out (`omitempty` on a value drops its zero value, on a pointer
 * only nil), and how its value is written.
 */
type Omit = false | "empty" | "nil";
type Field = readonly [name: string, omit: Omit, write: (value: unknown) => string];

// Workflow fields are strings or absent; anything else is written as Go's fmt would not reach here.
const str = (v: unknown) =>
    goString(typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));
const bool = (v: unknown) => (v ? "true" : "false");
const num = (v: unknown) => goNumber(Number(v));
const strings = (v: unknown) => (v === undefined || v === null ? "null" : `[${(v as unknown[]).map(str).join(",")}]`);
const raw = (v: unknown) => sortedJson(v as Json);
const stringMap = (v: unknown) =>
    `{${Object.keys(v as Obj)
        .sort()
        .map((k) => `${goString(k)}:${str((v as Obj)[k])}`)
        .join(",")}}`;
const list = (fields: readonly Field[]) => (v: unknown) =>
    v === undefined || v === null ? "null" : `[${(v as unknown[]).map(struct(fields)).join(",")}]`;
const struct = (fields: readonly Field[]) => (v: unknown) => {
    const value = (v ?? {}) as Obj;
    const parts = fields
        .filter(([name, omit]) => !left(omit, value[name]))
        .map(([name, , write]) => `${goString(name)}:${write(value[name])}`);
    return `{${parts.join(",")}}`;
};

const DESCRIPTION: readonly Field[] = [
    ["what", false, str],
    ["whenToUse", false, str],
    ["whenNotToUse", "empty", str],
    ["preconditions", "empty", str],
];
const LABELS: readonly Field[] = [
    ["severity", false, strings],
    ["environment", false, strings],
    ["component", false, strings],
    ["priority", false, str],
    ["cluster", "empty", strings],
];
const EXECUTION: readonly Field[] = [
    ["engine", "empty", str],
    ["bundle", "empty", str],
    ["bundleDigest", "empty", str],
    ["engineConfig", "nil", raw],
    ["serviceAccountName", "empty", str],
];
const NAMED: readonly Field[] = [["name", false, str]];
const DEPENDENCIES: readonly Field[] = [
    ["secrets", "empty", list(NAMED)],
    ["configMaps", "empty", list(NAMED)],
];
const MAINTAINER: readonly Field[] = [
    ["name", false, str],
    ["email", false, str],
];
const PARAMETER: readonly Field[] = [
    ["name", false, str],
    ["type", false, str],
    ["required", false, bool],
    ["description", false, str],
    ["enum", "empty", strings],
    ["pattern", "empty", str],
    ["minimum", "nil", num],
    ["maximum", "nil", num],
    ["default", "nil", raw],
    ["dependsOn", "empty", strings],
];
const SPEC: readonly Field[] = [
    ["version", false, str],
    ["description", false, struct(DESCRIPTION)],
    ["actionType", false, str],
    ["labels", false, struct(LABELS)],
    ["customLabels", "empty", stringMap],
    ["detectedLabels", "nil", raw],
    ["execution", false, struct(EXECUTION)],
    ["dependencies", "nil", struct(DEPENDENCIES)],
    ["maintainers", "empty", list(MAINTAINER)],
    ["parameters", false, list(PARAMETER)],
    ["rollbackParameters", "empty", list(PARAMETER)],
];

/**
 * Whether Go leaves a field out: `omitempty` drops false, 0, "", nil and empty slices and maps; on a pointer only nil.
 */
function left(omit: Omit, v: unknown): boolean {
    if (!omit) return false;
    if (v === undefined || v === null) return true;
    if (omit === "nil") return false;
    if (v === false || v === 0 || v === "") return true;
    if (Array.isArray(v)) return v.length === 0;
    return typeof v === "object" && Object.keys(v).length === 0;
}

/** A string as Go's `encoding/json` writes it (HTML-safe escaping on). */
function goString(s: string): string {
    return JSON.stringify(s).replace(
        /[<>&\u2028\u2029]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}

/** A float64 as Go writes it: integers without a fraction, exponents only below 1e-6 or from 1e21. */
function goNumber(n: number): string {
    if (!Number.isFinite(n)) throw new Error(`workflow identity: ${n} cannot be written as JSON`);
    const abs = Math.abs(n);
    if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
        // Go: 1e-07 / 1e+21 (two-digit exponent at least).
        return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
    }
    return String(n);
}

function sortedJson(v: Json): string {
    if (v === null || typeof v !== "object")
        return typeof v === "string" ? goString(v) : typeof v === "number" ? goNumber(v) : JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
    return `{${Object.keys(v)
        .sort()
        .map((k) => `${goString(k)}:${sortedJson(v[k])}`)
        .join(",")}}`;
}

/** The JSON Kubernaut hashes for a RemediationWorkflow object (as parsed from its YAML or read back from the API). */
export function workflowContentJson(workflow: {
    apiVersion?: string;
    kind?: string;
    metadata: { name: string };
    spec: unknown;
}): string {
    const apiVersion = workflow.apiVersion || "kubernaut.ai/v1alpha1";
    const kind = workflow.kind || "RemediationWorkflow";
    return `{"apiVersion":${goString(apiVersion)},"kind":${goString(kind)},"metadata":{"name":${goString(workflow.metadata.name)}},"spec":${struct(SPEC)(workflow.spec)}}`;
}

/** UUIDv5 (SHA-1, RFC 4122 §4.3) of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string = WORKFLOW_ID_NAMESPACE): string {
    const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
    const hash = crypto.createHash("sha1").update(ns).update(name, "utf8").digest();
    hash[6] = (hash[6] & 0x0f) | 0x50;
    hash[8] = (hash[8] & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface WorkflowIdentity {
    readonly contentHash: string;
    readonly workflowId: string;
}

export function workflowIdentity(workflow: Parameters<typeof workflowContentJson>[0]): WorkflowIdentity {
    const contentHash = crypto.createHash("sha256").update(workflowContentJson(workflow), "utf8").digest("hex");
    return { contentHash, workflowId: uuidV5(contentHash) };
}
