/**
 * What the kubernautagent suite expects beside the agent (inventory §4.10): two CRDs of one kind in different groups
 * and an instance (the agent's ambiguous-kind handling, discovered at its start), Dex with its static user allowed to
 * call the agent, and a second suite identity bound to the first one's client Role.
 */
import * as k8s from "@pulumi/kubernetes";
import { parseAllDocuments } from "yaml";
import type { LaneWith } from "../../components/lane/lane.js";
import { Dex } from "../../components/kubernetes/dex.js";
import { KubernetesDocuments } from "../../components/kubernetes/documents.js";
import { SuiteAccess } from "../../components/kubernetes/suite-access.js";
import { renderManifest } from "../../lib/template.js";

const AGENT_CLIENT_RULES = [
    { apiGroups: [""], resources: ["services"], resourceNames: ["kubernaut-agent"], verbs: ["create", "get"] },
];

/** The TestWidget CRDs (the agent discovers them at start, so it waits for them) and one TestWidget. */
export function ambiguousKindCrds(lane: LaneWith<never>): KubernetesDocuments {
    const file = "kubernautagent/testwidget-crds.yaml";
    const crds = new KubernetesDocuments("testwidgets", {
        cluster: lane.placement.cluster,
        documents: parseAllDocuments(renderManifest(file)).map((d) => d.toJSON() as Record<string, unknown>),
        source: `manifests/${file}`,
    });
    new k8s.apiextensions.CustomResource(
        "test-widget-instance",
        {
            apiVersion: "alpha.kubernaut-test.ai/v1",
            kind: "TestWidget",
            metadata: { name: "test-widget-instance", namespace: "default" },
            spec: {},
        },
        lane.placement.cluster.objectOptions({ dependsOn: [crds] }),
    );
    return crds;
}

/** Dex for the agent's interactive logins, on the lane's `dex` port, its static user allowed to call the agent. */
export function dexLogins(lane: LaneWith<never, "dex"> & { readonly config: { readonly dexImage: string } }): Dex {
    const image = lane.thirdParty("dex", lane.config.dexImage);
    const dex = new Dex("dex", { ...lane.placement, image, tls: lane.spine.tls, nodePort: lane.nodePort("dex") });
    const namespace = lane.namespace.metadata.name;
    const options = lane.placement.cluster.objectOptions();
    const role = new k8s.rbac.v1.Role(
        "dex-e2e-user-ka-access",
        { metadata: { name: "dex-e2e-user-ka-access", namespace }, rules: AGENT_CLIENT_RULES },
        options,
    );
    new k8s.rbac.v1.RoleBinding(
        "dex-e2e-user-ka-access-binding",
        {
            metadata: { name: "dex-e2e-user-ka-access", namespace },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
            subjects: [{ kind: "User", name: "e2e-user@kubernaut.test", apiGroup: "rbac.authorization.k8s.io" }],
        },
        options,
    );
    return dex;
}

/** The suite's second identity: no DataStorage access, bound to the first identity's client Role. */
export function secondSuiteIdentity(lane: LaneWith<never> & { readonly suite: SuiteAccess }): SuiteAccess {
    return new SuiteAccess("suite-2", {
        ...lane.placement,
        serviceAccountName: "kubernaut-agent-e2e-sa-2",
        dataStorage: lane.spine.dataStorage,
        dataStorageClient: false,
        roleBindings: {
            "kubernaut-agent-e2e-sa-2-ka-client-access": lane.suite.roles.get("kubernaut-agent-e2e-client-access")!
                .metadata.name,
        },
    });
}
