import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awaitTimeout, httpProbe, oneReplicaDeployment, resources } from "../../lib/k8s.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import type { KubernautSource } from "../../lib/kubernaut-source.js";
import { renderManifest } from "../../lib/template.js";
import type { ImageLoad } from "../image-load.js";
import type { Crds } from "./crds.js";
import type { DataStorage } from "./data-storage.js";
import type { InterServiceTls } from "./inter-service-tls.js";

export interface SignalProcessingControllerArgs extends ClusterPlacement {
    readonly source: KubernautSource;
    /** The loaded controller image (always built with coverage in Kubernaut's lane). */
    readonly image: ImageLoad;
    /** Rego policy file, relative to the checkout. */
    readonly policyFile: string;
    /** The controller reports to DataStorage; it starts once DataStorage's Service has endpoints. */
    readonly dataStorage: DataStorage;
    /** Supplies the CA the controller trusts (`inter-service-ca`). */
    readonly tls: InterServiceTls;
    readonly crds: Crds;
    /** NodePort of `signalprocessing-controller-metrics`. @default 30182 */
    readonly metricsNodePort?: number;
    /** Seconds the provider waits for the Deployment. @default 300 */
    readonly readyTimeoutSeconds?: number;
}

const ALL = ["create", "delete", "get", "list", "patch", "update", "watch"];
const READ = ["get", "list", "watch"];

/**
 * The controller under test: ServiceAccount/ClusterRole/ClusterRoleBinding `signalprocessing-controller`, its three
 * ConfigMaps (policy, proactive signal mappings, config), the Deployment with coverage on the node's `/coverdata`, and
 * the metrics NodePort Service.
 */
export class SignalProcessingController extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:SignalProcessingController";

    readonly metricsNodePort: number;
    readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: SignalProcessingControllerArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const policy = args.source.read(args.policyFile);
        super(SignalProcessingController.TYPE, name, {}, opts);
        this.metricsNodePort = args.metricsNodePort ?? 30182;
        const namespace = args.namespace.metadata.name;
        const labels = { app: "signalprocessing-controller" };
        const timeout = awaitTimeout(args.readyTimeoutSeconds ?? 300);
        const sp = args.crds.resourceOf("SignalProcessing").resource.split(".").slice(1).join(".");

        const account = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: { name: "signalprocessing-controller", namespace } }, childOptions(this, args));
        const role = new k8s.rbac.v1.ClusterRole(`${name}-role`, {
            metadata: { name: "signalprocessing-controller" },
            rules: [
                { apiGroups: [sp], resources: ["signalprocessings", "remediationrequests"], verbs: ALL },
                { apiGroups: [sp], resources: ["signalprocessings/status", "remediationrequests/status", "signalprocessings/finalizers", "remediationrequests/finalizers"], verbs: ["get", "patch", "update"] },
                { apiGroups: [""], resources: ["pods", "services", "namespaces", "nodes", "configmaps", "secrets", "events"], verbs: ["create", "get", "list", "patch", "update", "watch"] },
                { apiGroups: ["apps", "autoscaling", "policy", "networking.k8s.io"], resources: ["*"], verbs: READ },
                { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ALL },
            ],
        }, childOptions(this, args));
        new k8s.rbac.v1.ClusterRoleBinding(`${name}-binding`, {
            metadata: { name: "signalprocessing-controller" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
            subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
        }, childOptions(this, args));

        const policyMap = new k8s.core.v1.ConfigMap(`${name}-policy`, { metadata: { name: "signalprocessing-policy", namespace }, data: { "policy.rego": policy } }, childOptions(this, args));
        const mappings = new k8s.core.v1.ConfigMap(`${name}-mappings`, {
            metadata: { name: "signalprocessing-proactive-signal-mappings", namespace },
            data: { "proactive-signal-mappings.yaml": renderManifest("signalprocessing/proactive-signal-mappings.yaml") },
        }, childOptions(this, args));
        const config = new k8s.core.v1.ConfigMap(`${name}-config`, {
            metadata: { name: "signalprocessing-config", namespace },
            data: { "config.yaml": namespace.apply((ns) => renderManifest("signalprocessing/controller-config.yaml", { namespace: ns })) },
        }, childOptions(this, args));

        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, oneReplicaDeployment({ name: "signalprocessing-controller", namespace, labels, annotations: timeout }, {
            serviceAccountName: account.metadata.name,
            // Root writes coverage counters into the node's /coverdata (DD-TEST-007); the lane always instruments.
            securityContext: { runAsUser: 0, runAsGroup: 0 },
            containers: [{
                name: "controller",
                image: args.image.imageRef,
                imagePullPolicy: "Never",
                args: ["--config=/etc/signalprocessing/config.yaml"],
                env: [
                    { name: "KUBERNAUT_CONTROLLER_NAMESPACE", value: namespace },
                    { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                    { name: "TLS_CA_FILE", value: "/etc/tls-ca/ca.crt" },
                    { name: "GOCOVERDIR", value: "/coverdata" },
                ],
                ports: [{ name: "metrics", containerPort: 9090 }, { name: "health", containerPort: 8081 }],
                livenessProbe: httpProbe("/healthz", "health", { initialDelaySeconds: 15, periodSeconds: 20 }),
                readinessProbe: httpProbe("/readyz", "health", { initialDelaySeconds: 5, periodSeconds: 10 }),
                resources: resources(["100m", "128Mi"], ["500m", "256Mi"]),
                volumeMounts: [
                    { name: "config", mountPath: "/etc/signalprocessing/config.yaml", subPath: "config.yaml", readOnly: true },
                    // A directory mount, not subPath: the controller hot-reloads the policy when the ConfigMap changes.
                    { name: "policies", mountPath: "/etc/signalprocessing/policies", readOnly: true },
                    { name: "mappings", mountPath: "/etc/signalprocessing/proactive-signal-mappings.yaml", subPath: "proactive-signal-mappings.yaml", readOnly: true },
                    { name: "coverdata", mountPath: "/coverdata" },
                    { name: "tls-ca", mountPath: "/etc/tls-ca", readOnly: true },
                ],
            }],
            volumes: [
                { name: "config", configMap: { name: config.metadata.name } },
                { name: "policies", configMap: { name: policyMap.metadata.name } },
                { name: "mappings", configMap: { name: mappings.metadata.name } },
                { name: "coverdata", hostPath: { path: "/coverdata", type: "DirectoryOrCreate" } },
                { name: "tls-ca", configMap: { name: args.tls.caConfigMap.metadata.name } },
            ],
        }), childOptions(this, args, { dependsOn: [args.image, args.crds, args.dataStorage.service, args.tls] }));

        new k8s.core.v1.Service(`${name}-metrics`, {
            metadata: { name: "signalprocessing-controller-metrics", namespace, labels, annotations: timeout },
            spec: { type: "NodePort", selector: labels, ports: [{ name: "metrics", port: 9090, targetPort: 9090, nodePort: this.metricsNodePort }] },
        }, childOptions(this, args));

        this.registerOutputs({ metricsNodePort: this.metricsNodePort });
    }
}
