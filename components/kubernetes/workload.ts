import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awaitTimeout, type ProbeTiming } from "../../lib/k8s.js";
import { dnsLabelProblem } from "../../lib/names.js";
import { Problems } from "../../lib/problems.js";
import { nodePortOn } from "../cluster-target.js";
import type { DeliveredImage } from "../delivered-image.js";
import { childOptions, type ClusterPlacement } from "./placement.js";

/** A port named once: the container port, the Service port and the probes that use it all follow from it. */
export interface WorkloadPort {
    /** Name of the port in the container, the Service and probes (`http`, `metrics`). */
    readonly name: string;
    readonly containerPort: number;
    /** Port of the Service. @default - the container port */
    readonly servicePort?: number;
    /** A NodePort (30000–32767) for the port; any node port makes the Service a NodePort Service. @default - none */
    readonly nodePort?: number;
    /** Leave the port out of the Service (a container-only port). @default false */
    readonly internal?: boolean;
}

/** How a probe checks: an HTTP(S) GET on a named port, a TCP connect to one, or a command. */
export type Readiness =
    | { readonly httpGet: string; readonly port: string; readonly scheme?: "HTTP" | "HTTPS" }
    | { readonly tcpSocket: string }
    | { readonly exec: readonly string[] };

/** A probe: what it checks and when. */
export type ProbeSpec = Readiness & ProbeTiming;

export interface WorkloadArgs extends ClusterPlacement {
    /** Name of the Deployment and its `app` label. */
    readonly appName: string;
    /** The loaded image, or a ref the node pulls itself. */
    readonly image: DeliveredImage | string;
    /** Name of the container. @default - the app name */
    readonly containerName?: string;
    /** Labels besides `app` on the Deployment and its Pods (never in the selector). @default {} */
    readonly labels?: Readonly<Record<string, string>>;
    /**
     * Annotations of the Pod template: a digest of a config file the process reads only at start restarts it when
     * the file changes. @default {}
     */
    readonly podAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
    /** @default [] */
    readonly ports?: readonly WorkloadPort[];
    /** Readiness check; every Deployment has one. */
    readonly readiness: Readiness;
    /** Probe timing. @default { initialDelaySeconds: 1, periodSeconds: 2 } */
    readonly readinessTiming?: ProbeTiming;
    /** @default - none */
    readonly liveness?: ProbeSpec;
    /** @default - none */
    readonly startup?: ProbeSpec;
    /** The rest of the container: command, args, env, resources, volume mounts. @default {} */
    readonly container?: Omit<
        k8s.types.input.core.v1.Container,
        "name" | "image" | "ports" | "readinessProbe" | "livenessProbe" | "startupProbe"
    >;
    /** The rest of the Pod: volumes, service account, security context. @default {} */
    readonly pod?: Omit<k8s.types.input.core.v1.PodSpec, "containers">;
    /** `Recreate` for a workload two copies of which must never run at once. @default - RollingUpdate */
    readonly strategy?: "Recreate";
    /** Name of the Service, made when any port is given. @default - the app name */
    readonly serviceName?: string;
    /** Seconds the provider waits for the Deployment to be available. @default 300 */
    readonly readyTimeoutSeconds?: number;
    /** Further dependencies of the Deployment (its image load is one already). @default [] */
    readonly dependsOn?: readonly pulumi.Resource[];
}

interface ResolvedWorkloadArgs extends WorkloadArgs {
    readonly ports: readonly WorkloadPort[];
    readonly serviceName: string;
    readonly readyTimeoutSeconds: number;
}

function probePort(check: Readiness): string | undefined {
    return "httpGet" in check ? check.port : "tcpSocket" in check ? check.tcpSocket : undefined;
}

/** Checks names, ports and every probe's port before anything is registered; reports every problem at once. */
export function validateWorkloadArgs(name: string, args: WorkloadArgs): ResolvedWorkloadArgs {
    const problems = new Problems();
    const ports = args.ports ?? [];
    problems.check("appName", dnsLabelProblem(args.appName));
    const names = new Set<string>();
    ports.forEach((p, i) => {
        if (names.has(p.name)) problems.add(`ports[${i}].name`, `\`${p.name}\` is already used by another port`);
        names.add(p.name);
        if (!/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(p.name))
            problems.add(`ports[${i}].name`, `\`${p.name}\` is not a port name (lowercase, at most 15 characters)`);
        for (const field of ["containerPort", "servicePort"] as const) {
            const value = p[field];
            if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 65535))
                problems.add(`ports[${i}].${field}`, `${value} is not a port number (1-65535)`);
        }
        if (p.nodePort !== undefined && (!Number.isInteger(p.nodePort) || p.nodePort < 30000 || p.nodePort > 32767))
            problems.add(`ports[${i}].nodePort`, `${p.nodePort} is outside the NodePort range 30000-32767`);
        if (p.nodePort !== undefined && p.internal)
            problems.add(`ports[${i}].nodePort`, "an internal port has no Service, so it cannot have a NodePort");
    });
    for (const [field, check] of [
        ["readiness", args.readiness],
        ["liveness", args.liveness],
        ["startup", args.startup],
    ] as const) {
        const port = check && probePort(check);
        if (port !== undefined && !names.has(port))
            problems.add(
                field,
                `names port \`${port}\`, which is not one of \`ports\` (${[...names].join(", ") || "none"})`,
            );
    }
    problems.throwIfAny(`Workload "${name}"`);
    return {
        ...args,
        ports,
        serviceName: args.serviceName ?? args.appName,
        readyTimeoutSeconds: args.readyTimeoutSeconds ?? 300,
    };
}

/** The Kubernetes probe of `check`, by port name. */
export function readinessProbe(check: Readiness, timing: ProbeTiming): k8s.types.input.core.v1.Probe {
    if ("httpGet" in check)
        return {
            httpGet: { path: check.httpGet, port: check.port, ...(check.scheme ? { scheme: check.scheme } : {}) },
            ...timing,
        };
    if ("tcpSocket" in check) return { tcpSocket: { port: check.tcpSocket }, ...timing };
    return { exec: { command: [...check.exec] }, ...timing };
}

function probe(spec: ProbeSpec): k8s.types.input.core.v1.Probe {
    const { initialDelaySeconds, periodSeconds, timeoutSeconds, failureThreshold } = spec;
    const timing = {
        initialDelaySeconds,
        periodSeconds,
        ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
        ...(failureThreshold !== undefined ? { failureThreshold } : {}),
    };
    return readinessProbe(spec, timing);
}

export interface WorkloadObjects {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service?: k8s.core.v1.Service;
    /** The node port of each named port that has one. */
    readonly nodePorts: Readonly<Record<string, number>>;
}

/**
 * One Deployment of one replica and, when it has ports, its Service, as children of `parent` — in the manner of
 * kubernetesx's builders: the selector is the app name, and each port is declared once. Containers do not escalate
 * privileges. Shared by {@link Workload} and the Kubernaut service components; `args` must be validated.
 */
export function workloadObjects(name: string, args: ResolvedWorkloadArgs, parent: pulumi.Resource): WorkloadObjects {
    const namespace = args.namespace.metadata.name;
    const selector = { app: args.appName };
    const labels = { ...selector, ...args.labels };
    const timeout = awaitTimeout(args.readyTimeoutSeconds);
    const loaded = typeof args.image !== "string";
    const servicePorts = args.ports.filter((p) => !p.internal);
    const published = servicePorts.map((p) => ({ ...p, nodePort: nodePortOn(args.cluster, p.nodePort) }));
    const nodePorts = Object.fromEntries(
        published.filter((p) => p.nodePort !== undefined).map((p) => [p.name, p.nodePort!]),
    );

    // A Service that only publishes metrics is named for them, as Kubernaut names such Services.
    const serviceSuffix = servicePorts.length === 1 && servicePorts[0].name === "metrics" ? "metrics" : "service";
    const service = servicePorts.length
        ? new k8s.core.v1.Service(
              `${name}-${serviceSuffix}`,
              {
                  metadata: { name: args.serviceName, namespace, labels, annotations: timeout },
                  spec: {
                      type: Object.keys(nodePorts).length ? "NodePort" : "ClusterIP",
                      selector,
                      ports: published.map((p) => ({
                          name: p.name,
                          port: p.servicePort ?? p.containerPort,
                          targetPort: p.name,
                          ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
                      })),
                  },
              },
              childOptions(parent, args),
          )
        : undefined;

    const container = args.container ?? {};
    const deployment = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        {
            metadata: { name: args.appName, namespace, labels, annotations: timeout },
            spec: {
                replicas: 1,
                ...(args.strategy ? { strategy: { type: args.strategy } } : {}),
                selector: { matchLabels: selector },
                template: {
                    metadata: { labels, ...(args.podAnnotations ? { annotations: { ...args.podAnnotations } } : {}) },
                    spec: {
                        ...args.pod,
                        containers: [
                            {
                                ...container,
                                name: args.containerName ?? args.appName,
                                image: typeof args.image === "string" ? args.image : args.image.imageRef,
                                imagePullPolicy:
                                    typeof args.image === "string" ? "IfNotPresent" : args.image.pullPolicy,
                                ports: args.ports.map((p) => ({ name: p.name, containerPort: p.containerPort })),
                                readinessProbe: readinessProbe(
                                    args.readiness,
                                    args.readinessTiming ?? { initialDelaySeconds: 1, periodSeconds: 2 },
                                ),
                                ...(args.liveness ? { livenessProbe: probe(args.liveness) } : {}),
                                ...(args.startup ? { startupProbe: probe(args.startup) } : {}),
                                // A plain object in every caller; an Output here would need an apply, not a spread.
                                securityContext: {
                                    allowPrivilegeEscalation: false,
                                    ...(container.securityContext as
                                        k8s.types.input.core.v1.SecurityContext | undefined),
                                },
                            },
                        ],
                    },
                },
            },
        },
        childOptions(parent, args, { dependsOn: [...(loaded ? [args.image] : []), ...(args.dependsOn ?? [])] }),
    );
    return { deployment, service, nodePorts };
}

/** A Deployment and its Service (see {@link workloadObjects}) as a component of their own. */
export class Workload extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Workload";

    readonly deployment: k8s.apps.v1.Deployment;
    readonly service?: k8s.core.v1.Service;
    /** The node port of each named port that has one. */
    readonly nodePorts: Readonly<Record<string, number>>;

    constructor(name: string, args: WorkloadArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const resolved = validateWorkloadArgs(name, args);
        super(Workload.TYPE, name, {}, opts);
        const objects = workloadObjects(name, resolved, this);
        this.deployment = objects.deployment;
        this.service = objects.service;
        this.nodePorts = objects.nodePorts;
        this.registerOutputs({ nodePorts: this.nodePorts });
    }
}
