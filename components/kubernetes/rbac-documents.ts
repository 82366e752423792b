import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** RBAC kinds read from a checkout's YAML, and the resource class for each. */
const RBAC_KINDS = {
    ServiceAccount: k8s.core.v1.ServiceAccount,
    ClusterRole: k8s.rbac.v1.ClusterRole,
    ClusterRoleBinding: k8s.rbac.v1.ClusterRoleBinding,
    Role: k8s.rbac.v1.Role,
    RoleBinding: k8s.rbac.v1.RoleBinding,
} as const;

type RbacKind = keyof typeof RBAC_KINDS;

/**
 * Re-homes a document read from a checkout into `namespace`: its own namespace and every ServiceAccount subject's
 * (Kubernaut rewrote `namespace: kubernaut-system` with sed for the same purpose).
 */
export function rehome(doc: Record<string, unknown>, namespace: pulumi.Input<string>): Record<string, unknown> {
    const metadata = { ...(doc.metadata as Record<string, unknown>) };
    if (
        metadata.namespace !== undefined ||
        doc.kind === "ServiceAccount" ||
        doc.kind === "Role" ||
        doc.kind === "RoleBinding"
    )
        metadata.namespace = namespace;
    const subjects = (doc.subjects as Record<string, unknown>[] | undefined)?.map((s) =>
        s.kind === "ServiceAccount" ? { ...s, namespace } : s,
    );
    return { ...doc, metadata, ...(subjects ? { subjects } : {}) };
}

/**
 * Creates one resource per RBAC document, named `<prefix>-<kind>-<name>` in kebab-case. Other kinds are an error: a
 * checkout that starts shipping more than RBAC in these files must be looked at, not silently applied.
 */
export function createRbac(
    prefix: string,
    file: string,
    docs: Record<string, unknown>[],
    opts: pulumi.CustomResourceOptions,
): Map<string, pulumi.CustomResource> {
    const created = new Map<string, pulumi.CustomResource>();
    for (const doc of docs) {
        const kind = doc.kind as string;
        if (!(kind in RBAC_KINDS))
            throw new pulumi.RunError(
                `${file}: expected only RBAC objects (${Object.keys(RBAC_KINDS).join(", ")}), got \`${kind}\``,
            );
        const name = (doc.metadata as { name: string }).name;
        const Resource = RBAC_KINDS[kind as RbacKind] as unknown as new (
            n: string,
            a: unknown,
            o: pulumi.CustomResourceOptions,
        ) => pulumi.CustomResource;
        const resourceName = `${prefix}-${kind.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}-${name}`;
        created.set(`${kind}/${name}`, new Resource(resourceName, doc, opts));
    }
    return created;
}
