import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { timeoutProblem } from "../../lib/k8s.js";
import { dnsLabelProblem } from "../../lib/names.js";
import { Problems } from "../../lib/problems.js";
import { childOptions, type ClusterPlacement } from "./placement.js";
import type { DataStorage } from "./data-storage.js";

export interface SuiteAccessArgs extends ClusterPlacement {
    /** ServiceAccount the test suite acts as, e.g. `signalprocessing-e2e-sa`. */
    readonly serviceAccountName: string;
    /** The suite calls DataStorage as a client. */
    readonly dataStorage: DataStorage;
    /** Seconds to wait for the token controller to fill the token. @default 60 */
    readonly tokenTimeoutSeconds?: number;
}

/**
 * The identity a Ginkgo suite uses: a ServiceAccount bound to `data-storage-client` and a token for it. Kubernaut
 * requested a one-hour token in the suite's first process and broadcast it; a token Secret in the stack lets every
 * process read it from the stack outputs instead.
 */
export class SuiteAccess extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:SuiteAccess";

    readonly serviceAccountName: string;
    /** Bearer token: a secret. */
    readonly token: pulumi.Output<string>;

    constructor(name: string, args: SuiteAccessArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        problems.check("serviceAccountName", dnsLabelProblem(args.serviceAccountName));
        problems.check("tokenTimeoutSeconds", args.tokenTimeoutSeconds === undefined ? undefined : timeoutProblem(args.tokenTimeoutSeconds));
        problems.throwIfAny(`SuiteAccess "${name}"`);
        super(SuiteAccess.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        this.serviceAccountName = args.serviceAccountName;

        const account = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: { name: args.serviceAccountName, namespace } }, childOptions(this, args));
        new k8s.rbac.v1.RoleBinding(`${name}-data-storage-client`, {
            metadata: { name: `${args.serviceAccountName}-data-storage-client`, namespace },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "data-storage-client" },
            subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace }],
        }, childOptions(this, args, { dependsOn: [args.dataStorage.clientRole] }));
        const tokenSecret = new k8s.core.v1.Secret(`${name}-token`, {
            metadata: {
                name: `${args.serviceAccountName}-token`,
                namespace,
                annotations: {
                    "kubernetes.io/service-account.name": args.serviceAccountName,
                    // The token controller fills the data after creation; wait for it so the output is complete.
                    "pulumi.com/waitFor": "jsonpath={.data.token}",
                    "pulumi.com/timeoutSeconds": String(args.tokenTimeoutSeconds ?? 60),
                },
            },
            type: "kubernetes.io/service-account-token",
        }, childOptions(this, args, { dependsOn: [account] }));
        this.token = pulumi.secret(tokenSecret.data.apply((data) => Buffer.from(data?.token ?? "", "base64").toString("utf8")));
        this.registerOutputs({ serviceAccountName: this.serviceAccountName, token: this.token });
    }
}
