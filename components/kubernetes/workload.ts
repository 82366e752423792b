import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awaitTimeout, oneReplicaDeployment, type ProbeTiming } from "../../lib/k8s.js";
import { dnsLabelProblem } from "../../lib/names.js";
import { Problems } from "../../lib/problems.js";
import type { ImageLoad } from "../image-load.js";
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
}

/** How readiness is checked: an HTTP GET on a named port, a TCP connect to one, or a command. */
export type Readiness =
    | { readonly httpGet: string; readonly port: string }
    | { readonly tcpSocket: string }
    | { readonly exec: readonly string[] };

export interface WorkloadArgs extends ClusterPlacement {
    /** Name of the Deployment and its `app` label. */
    readonly appName: string;
    /** The loaded image, or a ref the node pulls itself. */
    readonly image: ImageLoad | string;
    /** @default [] */
    readonly ports?: readonly WorkloadPort[];
    /** Readiness check; every Deployment has one. */
    readonly readiness: Readiness;
    /** Probe timing. @default { initialDelaySeconds: 1, periodSeconds: 2 } */
    readonly readinessTiming?: ProbeTiming;
    /** The rest of the container: command, args, env, resources, volume mounts. @default {} */
    readonly container?: Omit<k8s.types.input.core.v1.Container, "name" | "image" | "ports" | "readinessProbe">;
    /** The rest of the Pod: volumes, service account, security context. @default {} */
    readonly pod?: Omit<k8s.types.input.core.v1.PodSpec, "containers">;
    /** Name of the Service, made when any port is given. @default - the app name */
    readonly serviceName?: string;
    /** Seconds the provider waits for the Deployment to be available. @default 300 */
    readonly readyTimeoutSeconds?: number;
}

interface ResolvedWorkloadArgs extends WorkloadArgs {
    readonly ports: readonly WorkloadPort[];
    readonly serviceName: string;
    readonly readyTimeoutSeconds: number;
}

/** Checks names, ports and the probe's port before anything is registered; reports every problem at once. */
export function validateWorkloadArgs(name: string, args: WorkloadArgs): ResolvedWorkloadArgs {
    const problems = new Problems();
    const ports = args.ports ?? [];
    problems.check("appName", dnsLabelProblem(args.appName));
    const names = new Set<string>();
    ports.forEach((p, i) => {
        if (names.has(p.name)) problems.add(`ports[${i}].name`, `\`${p.name}\` is already used by another port`);
        names.add(p.name);
        if (!/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/.test(p.name)) problems.add(`ports[${i}].name`, `\`${p.name}\` is not a port name (lowercase, at most 15 characters)`);
        for (const field of ["containerPort", "servicePort"] as const) {
            const value = p[field];
            if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 65535)) problems.add(`ports[${i}].${field}`, `${value} is not a port number (1-65535)`);
        }
        if (p.nodePort !== undefined && (!Number.isInteger(p.nodePort) || p.nodePort < 30000 || p.nodePort > 32767)) problems.add(`ports[${i}].nodePort`, `${p.nodePort} is outside the NodePort range 30000-32767`);
    });
    const probePort = "httpGet" in args.readiness ? args.readiness.port : "tcpSocket" in args.readiness ? args.readiness.tcpSocket : undefined;
    if (probePort !== undefined && !names.has(probePort)) problems.add("readiness", `names port \`${probePort}\`, which is not one of \`ports\` (${[...names].join(", ") || "none"})`);
    problems.throwIfAny(`Workload "${name}"`);
    return { ...args, ports, serviceName: args.serviceName ?? args.appName, readyTimeoutSeconds: args.readyTimeoutSeconds ?? 300 };
}

/** The readiness probe of `readiness`, by port name. */
export function readinessProbe(readiness: Readiness, timing: ProbeTiming): k8s.types.input.core.v1.Probe {
    if ("httpGet" in readiness) return { httpGet: { path: readiness.httpGet, port: readiness.port }, ...timing };
    if ("tcpSocket" in readiness) return { tcpSocket: { port: readiness.tcpSocket }, ...timing };
    return { exec: { command: [...readiness.exec] }, ...timing };
}

/**
 * One Deployment of one replica and, when it has ports, its Service — in the manner of kubernetesx's builders: labels
 * and selector come from the app name, and each port is declared once. Containers do not escalate privileges.
 */
export class Workload extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Workload";

    readonly deployment: k8s.apps.v1.Deployment;
    readonly service?: k8s.core.v1.Service;
    /** The node port of each named port that has one. */
    readonly nodePorts: Readonly<Record<string, number>>;

    constructor(name: string, args: WorkloadArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const resolved = validateWorkloadArgs(name, args);
        super(Workload.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const labels = { app: resolved.appName };
        const timeout = awaitTimeout(resolved.readyTimeoutSeconds);
        const loaded = typeof args.image !== "string";

        this.nodePorts = Object.fromEntries(resolved.ports.filter((p) => p.nodePort !== undefined).map((p) => [p.name, p.nodePort!]));
        if (resolved.ports.length) {
            this.service = new k8s.core.v1.Service(`${name}-service`, {
                metadata: { name: resolved.serviceName, namespace, labels, annotations: timeout },
                spec: {
                    type: Object.keys(this.nodePorts).length ? "NodePort" : "ClusterIP",
                    selector: labels,
                    ports: resolved.ports.map((p) => ({ name: p.name, port: p.servicePort ?? p.containerPort, targetPort: p.name, ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}) })),
                },
            }, childOptions(this, args));
        }
        const container = args.container ?? {};
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, oneReplicaDeployment({ name: resolved.appName, namespace, labels, annotations: timeout }, {
            ...args.pod,
            containers: [{
                ...container,
                name: resolved.appName,
                image: typeof args.image === "string" ? args.image : args.image.imageRef,
                // A loaded image exists only in the node: a pull would fail.
                imagePullPolicy: loaded ? "Never" : "IfNotPresent",
                ports: resolved.ports.map((p) => ({ name: p.name, containerPort: p.containerPort })),
                readinessProbe: readinessProbe(args.readiness, args.readinessTiming ?? { initialDelaySeconds: 1, periodSeconds: 2 }),
                securityContext: { allowPrivilegeEscalation: false, ...container.securityContext },
            }],
        }), childOptions(this, args, { dependsOn: loaded ? [args.image as ImageLoad] : [] }));

        this.registerOutputs({ nodePorts: this.nodePorts });
    }
}
