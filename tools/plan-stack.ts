/** Plans any stack of this project under Pulumi's mocks (see `plan.ts`): what `plan`, `graph` and `lint:stack` use. */
import { UsageError, type FlagSpecs } from "../lib/command-line.js";
import { CONFIG_NAMESPACE, configSources, namespaceConfig, parseConfig, readStackConfigFile } from "../lib/config.js";
import { resolveKubernautRoot } from "../lib/kubernaut-source.js";
import { toolchainLayout } from "../lib/toolchain/layout.js";
import { profileFile, PROFILE_ENV, readToolchainProfile } from "../lib/toolchain/profile.js";
import main from "../stacks/index.js";
import { environmentOf, stackDefinition } from "../stacks/programs.js";
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
                err.message = err.message.replace(
                    new RegExp(`(\`${escaped}(?:\\.[\\w.]+)?\`):`, "g"),
                    "$1 (from --set):",
                );
            }
        }
        throw err;
    }
}

/** The `--set` flag, declared once for every command that plans. */
export const SET_FLAG: FlagSpecs = {
    set: {
        type: "string",
        multiple: true,
        value: "KEY=VALUE",
        description: "override a kubernaut-e2e: config value for this plan (repeatable)",
    },
};

/** One config value of a stack, and the layer it came from. */
export interface ConfigEntry {
    readonly key: string;
    /** The value, `"[secret]"` for a secret one. */
    readonly value: unknown;
    /** `stack config`, `toolchain`, `built-in default`; for the checkout, where its path came from. */
    readonly source: string;
}

const SECRET_KEY = /password|kubeconfig$/i;

/**
 * Every config value `stack` runs with and where it came from (its config, the offline toolchain's profile, a built-in
 * default), as its program reads them: what `npm run plan` prints above the resources.
 */
export function configReport(
    stack: string,
    overrides: Record<string, string> = {},
    env: NodeJS.ProcessEnv = process.env,
): ConfigEntry[] {
    const raw = { ...readStackConfigFile(stack), ...overrides };
    const values = namespaceConfig(raw);
    const definition = stackDefinition(environmentOf(stack, values));
    if (!definition) return [];
    const profile = readToolchainProfile(env);
    const machine = definition.toolchainDefaults(profile, env[PROFILE_ENV] || profileFile(toolchainLayout(env)));
    const parsed = parseConfig(stack, definition.configShape, values, machine) as Record<string, unknown>;
    const secret = (key: string) =>
        SECRET_KEY.test(key) || raw[`${CONFIG_NAMESPACE}:${key.split(".")[0]}`] === "[secret]";
    const at = (key: string) =>
        key.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], parsed);
    const entries: ConfigEntry[] = Object.entries(configSources(definition.configShape, values, machine, parsed))
        .filter(([key]) => key !== "kubernautRoot")
        .map(([key, source]) => ({ key, value: secret(key) ? "[secret]" : at(key), source }));
    if (!definition.lane) return entries;
    // The checkout has layers of its own: config, KUBERNAUT_ROOT, ../kubernaut, the toolchain's pinned tree.
    const { root, from } = resolveKubernautRoot(
        parsed.kubernautRoot as string | undefined,
        env,
        profile?.kubernautRoot,
    );
    return [...entries, { key: "kubernautRoot", value: root, source: from.replace(/`/g, "") }];
}
