/**
 * `kube` step: the one thing the Kubernetes provider cannot do — write a custom resource's `status` subresource,
 * which Kubernaut's seeding does for the ActionTypes it registers without the AuthWebhook.
 *
 *   kube patch-status --kubeconfig FILE --namespace NS --resource PLURAL.GROUP --name N... --patch JSON [--kubectl BIN]
 *
 * Runs `kubectl patch <resource> <name> --subresource=status --type=merge -p <patch>` for each name, with the
 * stack's own kubeconfig. Prints `{"resource","patched":[…]}`.
 */
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { runTool } from "../lib/run-tool.js";
import { main, parseFlags, UsageError, type StepIO } from "../lib/step-cli.js";

/** Names the kubectl binary to use, instead of `kubectl` on PATH. */
export const KUBECTL_BIN_ENV = "KUBERNAUT_E2E_KUBECTL";

const FLAGS = {
    kubeconfig: { type: "string" },
    namespace: { type: "string" },
    resource: { type: "string" },
    name: { type: "string", multiple: true },
    patch: { type: "string" },
    kubectl: { type: "string" },
} as const;

const SCHEMA = z.object({
    kubeconfig: z.string().min(1, "is required"),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name"),
    resource: z.string().regex(/^[a-z0-9]+(\.[a-z0-9.-]+)?$/, "must be `plural.group`, e.g. `actiontypes.kubernaut.ai`"),
    name: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be object names")).min(1, "at least one is required"),
    patch: z.string().refine((p) => {
        try {
            return typeof JSON.parse(p) === "object";
        } catch {
            return false;
        }
    }, "must be a JSON object"),
    kubectl: z.string().optional(),
});

/** The kubectl argv for one status patch. */
export function statusPatchArgs(kubeconfig: string, namespace: string, resource: string, name: string, patch: string): string[] {
    return ["--kubeconfig", kubeconfig, "--namespace", namespace, "patch", resource, name, "--subresource=status", "--type=merge", "-p", patch];
}

export async function run(argv: readonly string[], io: StepIO): Promise<number> {
    const [verb, ...rest] = argv;
    if (verb !== "patch-status") throw new UsageError(`kube: expected patch-status, got \`${verb ?? ""}\``);
    const flags = parseFlags("kube patch-status", rest, FLAGS, SCHEMA);
    const kubectl = flags.kubectl ?? io.env[KUBECTL_BIN_ENV] ?? "kubectl";
    for (const name of flags.name) {
        await runTool(kubectl, statusPatchArgs(flags.kubeconfig, flags.namespace, flags.resource, name, flags.patch), {
            doing: `patch the status of ${flags.resource} \`${name}\``,
        });
    }
    io.log(`kube patch-status: patched ${flags.name.length} ${flags.resource}`);
    io.out(JSON.stringify({ resource: flags.resource, patched: flags.name }));
    return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main("kube", run);
