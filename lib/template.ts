/**
 * `{{name}}` placeholders in the files under `manifests/`. Every placeholder must be given and every value used, so a
 * renamed variable fails loudly instead of rendering an empty string.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "./stack-scope.js";

export function renderTemplate(
    text: string,
    values: Readonly<Record<string, string | number>>,
    where = "template",
): string {
    const used = new Set<string>();
    const rendered = text.replace(/\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g, (_, key: string) => {
        if (!(key in values)) throw new Error(`${where}: no value for \`{{${key}}}\``);
        used.add(key);
        return String(values[key]);
    });
    const unused = Object.keys(values).filter((k) => !used.has(k));
    if (unused.length) throw new Error(`${where}: values never used: ${unused.join(", ")}`);
    return rendered;
}

/** Reads `manifests/<rel>` and renders it. */
export function renderManifest(rel: string, values: Readonly<Record<string, string | number>> = {}): string {
    const file = path.join(PROJECT_ROOT, "manifests", rel);
    return renderTemplate(fs.readFileSync(file, "utf8"), values, file);
}

/** Reads `manifests/<rel>`, renders it and parses it as one YAML document. */
export function manifestData<T = unknown>(rel: string, values: Readonly<Record<string, string | number>> = {}): T {
    return parse(renderManifest(rel, values)) as T;
}
