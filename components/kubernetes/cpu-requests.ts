/**
 * Workloads that ask for no CPU: a node's allocatable CPU is its host's, and Kubernaut's requests (plus the Pods a
 * suite starts) can exceed two cores, or a small cluster shared by several lanes. Limits stay.
 */
import * as pulumi from "@pulumi/pulumi";

interface Container {
    resources?: { requests?: Record<string, unknown> };
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);

/** A workload's properties with every container asking for no CPU; any other kind's unchanged. */
export function withoutCpuRequests(kind: string, props: Record<string, unknown>): Record<string, unknown> {
    if (!WORKLOADS.has(kind)) return props;
    // An explicit zero: a missing request defaults to the limit, which would ask for more, not less.
    const strip = (containers: Container[] | undefined) =>
        containers?.map((c) =>
            c.resources ? { ...c, resources: { ...c.resources, requests: { ...c.resources.requests, cpu: "0" } } } : c,
        );
    const spec = pulumi.output(props.spec as pulumi.Input<Record<string, unknown>>).apply((s) => {
        const template = s.template as { spec: { containers?: Container[]; initContainers?: Container[] } } | undefined;
        if (!template) return s;
        return {
            ...s,
            template: {
                ...template,
                spec: {
                    ...template.spec,
                    containers: strip(template.spec.containers),
                    ...(template.spec.initContainers ? { initContainers: strip(template.spec.initContainers) } : {}),
                },
            },
        };
    });
    return { ...props, spec };
}

/** A transformation applying {@link withoutCpuRequests} to every Kubernetes workload it sees. */
export function withoutCpuRequestsTransformation(): pulumi.ResourceTransformation {
    return ({ type, props, opts }) =>
        type.startsWith("kubernetes:") ? { props: withoutCpuRequests(type.split(":").pop()!, props), opts } : undefined;
}
