import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    awaitTimeout,
    execProbe,
    nodePortProblem,
    oneReplicaDeployment,
    resources,
    timeoutProblem,
} from "../../lib/k8s.js";
import { Problems } from "../../lib/problems.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import { nodePortOn } from "../cluster-target.js";
import type { DeliveredImage } from "../delivered-image.js";
import { servicePorts } from "./service-spec.js";

export interface RedisArgs extends ClusterPlacement {
    /** The loaded image (`redis:7-alpine`), or a ref the node pulls itself. */
    readonly image: DeliveredImage | string;
    /** A NodePort for the `redis` Service, which is ClusterIP without one. @default - none */
    readonly nodePort?: number;
    /** Seconds the provider waits for the Deployment to be available. @default 300 */
    readonly readyTimeoutSeconds?: number;
}

/**
 * DataStorage's Redis: Secret `redis-secret` (an empty password, in the file DataStorage reads), ClusterIP Service
 * `redis` and Deployment `redis` with `redis-cli ping` probes.
 */
export class Redis extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:Redis";

    readonly port = 6379;
    readonly host: pulumi.Output<string>;
    readonly secret: k8s.core.v1.Secret;
    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: RedisArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        problems.check("nodePort", args.nodePort === undefined ? undefined : nodePortProblem(args.nodePort));
        problems.check(
            "readyTimeoutSeconds",
            args.readyTimeoutSeconds === undefined ? undefined : timeoutProblem(args.readyTimeoutSeconds),
        );
        problems.throwIfAny(`Redis "${name}"`);
        super(Redis.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        const labels = { app: "redis" };
        const timeout = awaitTimeout(args.readyTimeoutSeconds ?? 300);

        this.secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: { name: "redis-secret", namespace },
                stringData: { "redis-secrets.yaml": 'password: ""\n' },
            },
            childOptions(this, args),
        );
        new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: "redis", namespace, labels, annotations: timeout },
                spec: servicePorts(nodePortOn(args.cluster, args.nodePort), "redis", this.port, labels),
            },
            childOptions(this, args),
        );
        const ping = execProbe(["redis-cli", "ping"], { initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3 });
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            oneReplicaDeployment(
                { name: "redis", namespace, labels, annotations: timeout },
                {
                    containers: [
                        {
                            name: "redis",
                            image: typeof args.image === "string" ? args.image : args.image.imageRef,
                            imagePullPolicy: "IfNotPresent",
                            ports: [{ name: "redis", containerPort: this.port }],
                            resources: resources(["100m", "128Mi"], ["200m", "256Mi"]),
                            readinessProbe: ping,
                            livenessProbe: { ...ping, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5 },
                        },
                    ],
                },
            ),
            childOptions(this, args, { dependsOn: typeof args.image === "string" ? [] : [args.image] }),
        );
        this.host = pulumi.interpolate`redis.${namespace}.svc.cluster.local`;
        this.registerOutputs({ host: this.host });
    }
}
