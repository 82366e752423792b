/**
 * What makes a lane's objects safe on a cluster other stacks share, applied to every Kubernetes object the stack
 * registers: cluster-scoped objects are named per stack (and bindings follow their roles' new names), and an object
 * in a namespace other than the stack's own, or a namespace other than its own, is refused — two stacks would own it.
 *
 * `ExistingCluster` puts it in the options of every object it places (`objectOptions`), so it belongs to the cluster
 * the stack shares, not to global state. An SDK-side transformation (deprecated in favour of engine-side transforms)
 * on purpose: it runs in the program, so the plan under mocks shows exactly the names a real run creates, and a
 * refusal is an error of the program before anything reaches the engine.
 */
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_SCOPED } from "../lib/k8s.js";
import { withoutCpuRequests } from "./kubernetes/cpu-requests.js";

/** Kubernetes' own roles, which bindings name and no stack owns. */
const BUILT_IN_ROLES = /^(system:.*|cluster-admin|admin|edit|view)$/;
/** Cluster-scoped kinds that really are shared: one definition serves every stack (see `Crds`). */
const SHARED_KINDS = new Set(["CustomResourceDefinition"]);

const kindOf = (type: string) => type.split(":").pop()!;

/** `name-<stack>`; Kubernetes allows 253 characters in these names. */
export function perStackName(name: string, stack: string): string {
    return name.endsWith(`-${stack}`) ? name : `${name}-${stack}`;
}

interface Metadata {
    name?: pulumi.Input<string>;
    namespace?: pulumi.Input<string>;
}
interface RoleRef {
    kind?: string;
    name?: pulumi.Input<string>;
}

const rename = (name: pulumi.Input<string> | undefined, stack: string) =>
    name === undefined ? undefined : pulumi.output(name).apply((n) => perStackName(n, stack));

/** A stack's place on a cluster it shares with others. */
export interface SharedClusterTenant {
    readonly stack: string;
    /** The one namespace the stack's objects may live in (named after the stack). */
    readonly namespace: string;
    /**
     * Keep the CPU requests of the lane's containers; at zero more lanes fit a small cluster (limits stay). @default
     * true
     */
    readonly cpuRequests?: boolean;
}

export function sharedClusterTransformation({
    stack,
    namespace,
    ...options
}: SharedClusterTenant): pulumi.ResourceTransformation {
    return ({ type, name, props: given, opts }) => {
        if (!type.startsWith("kubernetes:") || type.startsWith("pulumi:providers")) return undefined;
        const kind = kindOf(type);
        const props = options.cpuRequests === false ? withoutCpuRequests(kind, given) : given;
        const metadata = (props.metadata ?? {}) as Metadata;
        const refuse = (why: string) => {
            throw new pulumi.RunError(
                `stack "${stack}" on a shared cluster: ${kind} "${name}" ${why}; only objects in the stack's own namespace \`${namespace}\` and per-stack cluster-scoped objects are allowed there`,
            );
        };
        if (kind === "Namespace") {
            if (typeof metadata.name === "string" && metadata.name !== namespace)
                refuse(`is a namespace of its own (\`${metadata.name}\`)`);
            return undefined;
        }
        if (SHARED_KINDS.has(kind)) return undefined;
        if (!CLUSTER_SCOPED.has(kind)) {
            if (typeof metadata.namespace === "string" && metadata.namespace !== namespace)
                refuse(`is in namespace \`${metadata.namespace}\``);
            if (kind === "RoleBinding") return { props: withRoleRef(props, stack), opts };
            return props === given ? undefined : { props, opts };
        }
        const renamed = { ...props, metadata: { ...metadata, name: rename(metadata.name, stack) } };
        return { props: kind === "ClusterRoleBinding" ? withRoleRef(renamed, stack) : renamed, opts };
    };
}

/** A binding to one of the stack's ClusterRoles names the role's per-stack name; built-in roles keep theirs. */
function withRoleRef(props: Record<string, unknown>, stack: string): Record<string, unknown> {
    const roleRef = props.roleRef as RoleRef | undefined;
    if (!roleRef || roleRef.kind !== "ClusterRole" || roleRef.name === undefined) return props;
    const name = pulumi.output(roleRef.name).apply((n) => (BUILT_IN_ROLES.test(n) ? n : perStackName(n, stack)));
    return { ...props, roleRef: { ...roleRef, name } };
}
