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
    /**
     * ClusterRoles of the suite's own, bound to its ServiceAccount as `<sa>-<role>` (the gateway suite's
     * `gateway-service-client`). @default []
     */
    readonly clusterRoles?: readonly {
        readonly name: string;
        readonly rules: readonly k8s.types.input.rbac.v1.PolicyRule[];
    }[];
    /** Roles of the suite's own in its namespace, each bound to it under the same name. @default [] */
    readonly roles?: readonly {
        readonly name: string;
        readonly rules: readonly k8s.types.input.rbac.v1.PolicyRule[];
    }[];
    /**
     * RoleBindings to existing Roles of the namespace, role by binding name (a second suite identity's). @default {}
     */
    readonly roleBindings?: Readonly<Record<string, pulumi.Input<string>>>;
    /** Bind the ServiceAccount to `data-storage-client`. @default true */
    readonly dataStorageClient?: boolean;
}

/**
 * The identity a Ginkgo suite uses: a ServiceAccount bound to `data-storage-client` and a token for it. Kubernaut
 * requested a one-hour token in the suite's first process and broadcast it; a token Secret in the stack lets every
 * process read it from the stack outputs instead.
 */
export class SuiteAccess extends pulumi.ComponentResource {
    static readonly TYPE = "kubernaut-e2e:components:SuiteAccess";

    readonly serviceAccountName: string;
    /** The suite's own Roles, by name. */
    readonly roles: Map<string, k8s.rbac.v1.Role>;
    /** Bearer token: a secret. */
    readonly token: pulumi.Output<string>;

    constructor(name: string, args: SuiteAccessArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        problems.check("serviceAccountName", dnsLabelProblem(args.serviceAccountName));
        (args.clusterRoles ?? []).forEach((role, i) =>
            problems.check(`clusterRoles[${i}].name`, dnsLabelProblem(role.name)),
        );
        (args.roles ?? []).forEach((role, i) => problems.check(`roles[${i}].name`, dnsLabelProblem(role.name)));
        problems.check(
            "tokenTimeoutSeconds",
            args.tokenTimeoutSeconds === undefined ? undefined : timeoutProblem(args.tokenTimeoutSeconds),
        );
        problems.throwIfAny(`SuiteAccess "${name}"`);
        super(SuiteAccess.TYPE, name, {}, opts);
        const namespace = args.namespace.metadata.name;
        this.serviceAccountName = args.serviceAccountName;

        const account = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            { metadata: { name: args.serviceAccountName, namespace } },
            childOptions(this, args),
        );
        const subjects = [{ kind: "ServiceAccount", name: account.metadata.name, namespace }];
        if (args.dataStorageClient ?? true) {
            new k8s.rbac.v1.RoleBinding(
                `${name}-data-storage-client`,
                {
                    metadata: { name: `${args.serviceAccountName}-data-storage-client`, namespace },
                    roleRef: {
                        apiGroup: "rbac.authorization.k8s.io",
                        kind: "ClusterRole",
                        name: "data-storage-client",
                    },
                    subjects,
                },
                childOptions(this, args, { dependsOn: [args.dataStorage.clientRole] }),
            );
        }
        this.roles = new Map(
            (args.roles ?? []).map((role) => {
                const created = new k8s.rbac.v1.Role(
                    `${name}-${role.name}`,
                    { metadata: { name: role.name, namespace }, rules: [...role.rules] },
                    childOptions(this, args),
                );
                new k8s.rbac.v1.RoleBinding(
                    `${name}-${role.name}-binding`,
                    {
                        metadata: { name: role.name, namespace },
                        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: created.metadata.name },
                        subjects,
                    },
                    childOptions(this, args),
                );
                return [role.name, created];
            }),
        );
        for (const [binding, role] of Object.entries(args.roleBindings ?? {})) {
            new k8s.rbac.v1.RoleBinding(
                `${name}-${binding}`,
                {
                    metadata: { name: binding, namespace },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role },
                    subjects,
                },
                childOptions(this, args),
            );
        }
        for (const role of args.clusterRoles ?? []) {
            const clusterRole = new k8s.rbac.v1.ClusterRole(
                `${name}-${role.name}`,
                { metadata: { name: role.name }, rules: [...role.rules] },
                childOptions(this, args),
            );
            new k8s.rbac.v1.ClusterRoleBinding(
                `${name}-${role.name}-binding`,
                {
                    metadata: { name: `${args.serviceAccountName}-${role.name}` },
                    roleRef: {
                        apiGroup: "rbac.authorization.k8s.io",
                        kind: "ClusterRole",
                        name: clusterRole.metadata.name,
                    },
                    subjects,
                },
                childOptions(this, args),
            );
        }
        const tokenSecret = new k8s.core.v1.Secret(
            `${name}-token`,
            {
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
            },
            childOptions(this, args, { dependsOn: [account] }),
        );
        this.token = pulumi.secret(
            tokenSecret.data.apply((data) => Buffer.from(data?.token ?? "", "base64").toString("utf8")),
        );
        this.registerOutputs({ serviceAccountName: this.serviceAccountName, token: this.token });
    }
}
