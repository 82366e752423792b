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
import { isMain, main, UsageError, verbs, type StepIO } from "../lib/command-line.js";
import { KUBECTL_BIN_ENV } from "../lib/executables.js";
import { runTool } from "../lib/run-tool.js";
import { isDryRun } from "./support/flags.js";
import { verbSpec, type Flags } from "./support/verb.js";

/** The kubectl argv for one status patch. */
export function statusPatchArgs(
    kubeconfig: string,
    namespace: string,
    resource: string,
    name: string,
    patch: string,
): string[] {
    return [
        "--kubeconfig",
        kubeconfig,
        "--namespace",
        namespace,
        "patch",
        resource,
        name,
        "--subresource=status",
        "--type=merge",
        "-p",
        patch,
    ];
}

/** The patch of each name: the one patch for all, or the i-th; stamped with `registeredAt` when asked. */
export function patchesFor(names: readonly string[], patches: readonly string[], registeredAt?: string): string[] {
    if (patches.length !== 1 && patches.length !== names.length) {
        throw new UsageError(
            `kube patch-status: \`--patch\`: give one patch for every name or one per name (${names.length}), not ${patches.length}`,
        );
    }
    return names.map((_, i) => {
        const patch = patches[patches.length === 1 ? 0 : i];
        if (!registeredAt) return patch;
        const value = JSON.parse(patch) as { status?: Record<string, unknown> };
        return JSON.stringify({ ...value, status: { ...value.status, registeredAt } });
    });
}

async function patchStatus(flags: Flags<"kube", "patch-status">, io: StepIO): Promise<number> {
    const kubectl = flags.kubectl ?? io.env[KUBECTL_BIN_ENV] ?? "kubectl";
    const stamp = flags["registered-at-now"] ? new Date().toISOString().replace(/\.\d{3}Z$/, "Z") : undefined;
    const patches = patchesFor(flags.name, flags.patch, stamp);
    const commands = flags.name.map((name, i) => [
        kubectl,
        ...statusPatchArgs(flags.kubeconfig, flags.namespace, flags.resource, name, patches[i]),
    ]);
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

type ClaimFlags = Flags<"kube", "release-crds">;

/** The other namespaces that still claim the CRDs. */
export function otherClaimants(listed: string, own: string): string[] {
    return listed.split(/\s+/).filter((n) => n && n !== own);
}

async function releaseCrds(flags: ClaimFlags, io: StepIO): Promise<number> {
    const kubectl = flags.kubectl ?? io.env[KUBECTL_BIN_ENV] ?? "kubectl";
    const list = [
        "--kubeconfig",
        flags.kubeconfig,
        "get",
        "namespaces",
        "-l",
        flags.claim,
        "-o",
        "jsonpath={.items[*].metadata.name}",
    ];
    const remove = [
        "--kubeconfig",
        flags.kubeconfig,
        "delete",
        "customresourcedefinitions",
        ...flags.name,
        "--ignore-not-found",
        "--wait=true",
    ];
    if (isDryRun(flags, io.env)) {
        io.out(
            JSON.stringify({
                dryRun: true,
                commands: [
                    [kubectl, ...list],
                    [kubectl, ...remove],
                ],
            }),
        );
        return 0;
    }
    const others = otherClaimants(
        (await runTool(kubectl, list, { doing: "list the namespaces that use the shared CRDs" })).stdout,
        flags.namespace,
    );
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

export const run = verbs(
    "kube",
    "What the Kubernetes provider cannot do: write a custom resource's status subresource, and release shared CRDs.",
    {
        "patch-status": verbSpec("kube", "patch-status", patchStatus),
        "claim-crds": verbSpec("kube", "claim-crds", async (flags, io) => {
            io.out(
                JSON.stringify({
                    ...(isDryRun(flags, io.env) ? { dryRun: true } : {}),
                    claim: flags.claim,
                    namespace: flags.namespace,
                    crds: flags.name,
                }),
            );
            return 0;
        }),
        "release-crds": verbSpec("kube", "release-crds", releaseCrds),
    },
);

if (isMain(import.meta.url)) await main("kube", run);
