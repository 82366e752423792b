/** Plans any stack of this project under Pulumi's mocks (see `plan.ts`): what `plan`, `graph` and `lint:stack` use. */
import { UsageError, type FlagSpecs } from "../lib/command-line.js";
import { CONFIG_NAMESPACE } from "../lib/config.js";
import main from "../stacks/index.js";
import { planProgram, type Plan, type PlanOptions } from "./plan.js";

export function planStack(stack: string, options: PlanOptions = {}): Promise<Plan> {
    return planProgram(stack, main, options);
}

/**
 * `--set key=value` pairs as config overrides. A key may carry the namespace or not (`clusterWaitSeconds` and
 * `kubernaut-e2e:clusterWaitSeconds` are the same key); a pair without `=` is a usage error.
 */
export function configOverrides(command: string, pairs: readonly string[] = []): Record<string, string> {
    const overrides: Record<string, string> = {};
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new UsageError(`${command}: \`--set\` expects key=value, got \`${pair}\``);
        const key = pair.slice(0, eq).replace(new RegExp(`^${CONFIG_NAMESPACE}:`), "");
        overrides[`${CONFIG_NAMESPACE}:${key}`] = pair.slice(eq + 1);
    }
    return overrides;
}

/**
 * Plans `stack` with `--set` overrides; a configuration error names the keys that came from `--set` as such, since
 * the program itself only sees config values, not where they came from.
 */
export async function planWithOverrides(command: string, stack: string, pairs: readonly string[] = []): Promise<Plan> {
    const overrides = configOverrides(command, pairs);
    try {
        return await planStack(stack, { configOverrides: overrides });
    } catch (err) {
        if (err instanceof Error) {
            for (const key of Object.keys(overrides)) {
                // The key itself, or a field inside it (`hostPorts.postgres` when `hostPorts` was set).
                const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
                err.message = err.message.replace(new RegExp(`(\`${escaped}(?:\\.[\\w.]+)?\`):`, "g"), "$1 (from --set):");
            }
        }
        throw err;
    }
}

/** The `--set` flag, declared once for every command that plans. */
export const SET_FLAG: FlagSpecs = { set: { type: "string", multiple: true, value: "KEY=VALUE", description: "override a kubernaut-e2e: config value for this plan (repeatable)" } };
