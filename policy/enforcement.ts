/** Reads `policy/enforcement.yaml`: every rule must be listed, with a level @pulumi/policy knows. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { RULES } from "./rules.js";

export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "disabled"] as const;
export type Enforcement = (typeof ENFORCEMENT_LEVELS)[number];

export const ENFORCEMENT_FILE = path.join(PROJECT_ROOT, "policy", "enforcement.yaml");

export function readEnforcement(file: string = ENFORCEMENT_FILE): Map<string, Enforcement> {
    const raw = (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    const problems: string[] = [];
    const levels = new Map<string, Enforcement>();
    for (const rule of RULES) {
        const level = raw[rule.name];
        if (!ENFORCEMENT_LEVELS.includes(level as Enforcement))
            problems.push(
                `\`${rule.name}\`: expected one of ${ENFORCEMENT_LEVELS.join(", ")}, got \`${String(level)}\``,
            );
        else levels.set(rule.name, level as Enforcement);
    }
    for (const key of Object.keys(raw))
        if (!RULES.some((r) => r.name === key))
            problems.push(`\`${key}\`: not a rule; rules are ${RULES.map((r) => r.name).join(", ")}`);
    if (problems.length)
        throw new Error(`${file}: invalid enforcement:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return levels;
}
