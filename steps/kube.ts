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
 *
 *   kube claim-crds   --kubeconfig FILE --namespace NS --claim KEY=VALUE --name CRD... [--kubectl BIN]
 *   kube release-crds --kubeconfig FILE --namespace NS --claim KEY=VALUE --name CRD... [--kubectl BIN]
 *
 * CRDs shared by the stacks of one cluster: each stack's namespace carries the claim label. `claim-crds` records
 * nothing (the label is the claim); `release-crds`, run when a stack goes, deletes the CRDs only when no other
 * namespace carries the claim, so the last user's destroy removes them and no earlier one does.
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

const CLAIM_FLAGS: FlagSpecs = {
    kubeconfig: FLAGS.kubeconfig,
    namespace: { type: "string", value: "NS", description: "this stack's namespace, which carries the claim" },
    claim: { type: "string", value: "KEY=VALUE", description: "the label every namespace that uses the CRDs carries" },
    name: { type: "string", multiple: true, value: "CRD", description: "a shared CustomResourceDefinition (repeatable)" },
    kubectl: FLAGS.kubectl,
    ...DRY_RUN_FLAGS,
};
const CLAIM_SCHEMA = z.object({
    kubeconfig: z.string({ error: "is required" }).min(1, "is required"),
    namespace: SCHEMA.shape.namespace,
    claim: z.string().regex(/^[a-z0-9./-]+=[A-Za-z0-9._-]+$/, "must be a label `key=value`"),
    name: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be CRD names")).min(1, "at least one is required"),
    kubectl: z.string().optional(),
    ...DRY_RUN_SCHEMA,
    ...NO_POSITIONALS,
});
type ClaimFlags = z.infer<typeof CLAIM_SCHEMA>;

/** The other namespaces that still claim the CRDs. */
export function otherClaimants(listed: string, own: string): string[] {
    return listed.split(/\s+/).filter((n) => n && n !== own);
}

async function releaseCrds(flags: ClaimFlags, io: StepIO): Promise<number> {
    const kubectl = flags.kubectl ?? io.env[KUBECTL_BIN_ENV] ?? "kubectl";
    const list = ["--kubeconfig", flags.kubeconfig, "get", "namespaces", "-l", flags.claim, "-o", "jsonpath={.items[*].metadata.name}"];
    const remove = ["--kubeconfig", flags.kubeconfig, "delete", "customresourcedefinitions", ...flags.name, "--ignore-not-found", "--wait=true"];
    if (isDryRun(flags, io.env)) {
        io.out(JSON.stringify({ dryRun: true, commands: [[kubectl, ...list], [kubectl, ...remove]] }));
        return 0;
    }
    const others = otherClaimants((await runTool(kubectl, list, { doing: "list the namespaces that use the shared CRDs" })).stdout, flags.namespace);
    if (others.length) {
        io.log(`kube release-crds: keeping ${flags.name.length} CRDs: still used by ${others.join(", ")}`);
        io.out(JSON.stringify({ deleted: false, usedBy: others }));
        return 0;
    }
    await runTool(kubectl, remove, { doing: "delete the shared CRDs, their last user gone" });
    io.log(`kube release-crds: deleted ${flags.name.length} CRDs, their last user gone`);
    io.out(JSON.stringify({ deleted: true, usedBy: [] }));
    return 0;
}

export const run = verbs("kube", "What the Kubernetes provider cannot do: write a custom resource's status subresource, and release shared CRDs.", {
    "patch-status": { description: "merge-patch the status of each named object with kubectl --subresource=status", flags: FLAGS, schema: SCHEMA, run: (f, io) => patchStatus(f as z.infer<typeof SCHEMA>, io) },
    "claim-crds": {
        description: "record nothing: this stack's namespace label is its claim on the shared CRDs (the create of their release step)",
        flags: CLAIM_FLAGS,
        schema: CLAIM_SCHEMA,
        async run(values, io) {
            const flags = values as ClaimFlags;
            io.out(JSON.stringify({ ...(isDryRun(flags, io.env) ? { dryRun: true } : {}), claim: flags.claim, namespace: flags.namespace, crds: flags.name }));
            return 0;
        },
    },
    "release-crds": { description: "delete the shared CRDs unless another namespace still claims them", flags: CLAIM_FLAGS, schema: CLAIM_SCHEMA, run: (f, io) => releaseCrds(f as ClaimFlags, io) },
});

if (isMain(import.meta.url)) await main("kube", run);
