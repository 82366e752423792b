/**
 * `kube` step: the one thing the Kubernetes provider cannot do — write a custom resource's `status` subresource,
 * which Kubernaut's seeding does for the ActionTypes it registers without the AuthWebhook.
 *
 *   kube patch-status --kubeconfig FILE --namespace NS --resource PLURAL.GROUP --name N... --patch JSON...
 *       [--registered-at-now] [--kubectl BIN]
 *
 * Runs `kubectl patch <resource> <name> --subresource=status --type=merge -p <patch>` for each name, with the
 * stack's own kubeconfig: one patch for every name, or one per name, in order. `--registered-at-now` adds
 * `status.registeredAt` (the time of the patch, as Kubernaut's seeders stamp it) without putting a clock into the
 * stack's inputs. Prints `{"resource","patched":[…]}`.
 */
import { z } from "zod";
import { isMain, main, UsageError, verbs, type FlagSpecs, type StepIO } from "../lib/command-line.js";
import { runTool } from "../lib/run-tool.js";
import { DRY_RUN_FLAGS, DRY_RUN_SCHEMA, isDryRun, NO_POSITIONALS } from "./support/flags.js";

/** Names the kubectl binary to use, instead of `kubectl` on PATH. */
export const KUBECTL_BIN_ENV = "KUBERNAUT_E2E_KUBECTL";

const FLAGS: FlagSpecs = {
    kubeconfig: { type: "string", value: "FILE", description: "the stack's kubeconfig" },
    namespace: { type: "string", value: "NS", description: "namespace of the objects" },
    resource: { type: "string", value: "PLURAL.GROUP", description: "resource, e.g. actiontypes.kubernaut.ai" },
    name: { type: "string", multiple: true, value: "NAME", description: "object to patch (repeatable)" },
    patch: { type: "string", multiple: true, value: "JSON", description: "merge patch of the status: once for every name, or once per name" },
    "registered-at-now": { type: "boolean", description: "add status.registeredAt, the time of the patch" },
    kubectl: { type: "string", value: "PATH", description: "kubectl executable (default: KUBERNAUT_E2E_KUBECTL, then PATH)" },
    ...DRY_RUN_FLAGS,
};

const SCHEMA = z.object({
    kubeconfig: z.string({ error: "is required" }).min(1, "is required"),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name"),
    resource: z.string().regex(/^[a-z0-9]+(\.[a-z0-9.-]+)?$/, "must be `plural.group`, e.g. `actiontypes.kubernaut.ai`"),
    name: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be object names")).min(1, "at least one is required"),
    patch: z.array(z.string().refine((p) => {
        try {
            const value = JSON.parse(p);
            return typeof value === "object" && value !== null && !Array.isArray(value);
        } catch {
            return false;
        }
    }, "must be a JSON object")).min(1, "is required"),
    "registered-at-now": z.boolean().optional(),
    kubectl: z.string().optional(),
    ...DRY_RUN_SCHEMA,
    ...NO_POSITIONALS,
});

/** The kubectl argv for one status patch. */
export function statusPatchArgs(kubeconfig: string, namespace: string, resource: string, name: string, patch: string): string[] {
    return ["--kubeconfig", kubeconfig, "--namespace", namespace, "patch", resource, name, "--subresource=status", "--type=merge", "-p", patch];
}

/** The patch of each name: the one patch for all, or the i-th; stamped with `registeredAt` when asked. */
export function patchesFor(names: readonly string[], patches: readonly string[], registeredAt?: string): string[] {
    if (patches.length !== 1 && patches.length !== names.length) {
        throw new UsageError(`kube patch-status: \`--patch\`: give one patch for every name or one per name (${names.length}), not ${patches.length}`);
    }
    return names.map((_, i) => {
        const patch = patches[patches.length === 1 ? 0 : i];
        if (!registeredAt) return patch;
        const value = JSON.parse(patch) as { status?: Record<string, unknown> };
        return JSON.stringify({ ...value, status: { ...value.status, registeredAt } });
    });
}

async function patchStatus(flags: z.infer<typeof SCHEMA>, io: StepIO): Promise<number> {
    const kubectl = flags.kubectl ?? io.env[KUBECTL_BIN_ENV] ?? "kubectl";
    const stamp = flags["registered-at-now"] ? new Date().toISOString().replace(/\.\d{3}Z$/, "Z") : undefined;
    const patches = patchesFor(flags.name, flags.patch, stamp);
    const commands = flags.name.map((name, i) => [kubectl, ...statusPatchArgs(flags.kubeconfig, flags.namespace, flags.resource, name, patches[i])]);
    if (isDryRun(flags, io.env)) {
        io.out(JSON.stringify({ dryRun: true, commands }));
        return 0;
    }
    for (const [i, name] of flags.name.entries()) {
        await runTool(kubectl, commands[i].slice(1), { doing: `patch the status of ${flags.resource} \`${name}\`` });
    }
    io.log(`kube patch-status: patched ${flags.name.length} ${flags.resource}`);
    io.out(JSON.stringify({ resource: flags.resource, patched: flags.name }));
    return 0;
}

export const run = verbs("kube", "What the Kubernetes provider cannot do: write a custom resource's status subresource.", {
    "patch-status": { description: "merge-patch the status of each named object with kubectl --subresource=status", flags: FLAGS, schema: SCHEMA, run: (f, io) => patchStatus(f as z.infer<typeof SCHEMA>, io) },
});

if (isMain(import.meta.url)) await main("kube", run);
