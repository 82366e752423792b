/**
 * The outputs every lane's suite reads (the hand-off contract; see ARCHITECTURE.md): where the cluster is, how to
 * reach DataStorage from the host, the CA to trust, the suite's identity and the images. Lanes add their own URLs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackScope } from "../../lib/stack-scope.js";
import type { ClusterTarget } from "../cluster-target.js";
import type { ContainerImage } from "../container-image.js";
import type { DataStorageSpine } from "../kubernetes/data-storage-spine.js";
import type { SuiteAccess } from "../kubernetes/suite-access.js";
import type { LaneSpec } from "./spec.js";

/** What the outputs are read from: the lane (`lane.ts`). */
export interface OutputSource {
    readonly spec: Pick<LaneSpec, "ports">;
    readonly cluster: ClusterTarget;
    readonly namespace: { readonly metadata: { readonly name: pulumi.Output<string> } };
    readonly spine: DataStorageSpine;
    readonly suite: SuiteAccess;
    readonly scope: StackScope;
    readonly images: Readonly<Record<string, ContainerImage>>;
    hostUrl(key: string, scheme: "http" | "https", path?: string): string;
    hostAddress(key: string): string;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function laneOutputs(lane: OutputSource, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const { spine, suite } = lane;
    const has = (key: string) => Object.hasOwn(lane.spec.ports, key);
    const postgres = spine.postgres;
    return {
        clusterName: lane.cluster.clusterName,
        kubeconfigPath: lane.cluster.kubeconfigPath,
        namespace: lane.namespace.metadata.name,
        dataStorageUrl: lane.hostUrl("dataStorage", "https"),
        ...(has("dataStorageHealth") ? { dataStorageHealthUrl: lane.hostUrl("dataStorageHealth", "http") } : {}),
        ...(has("dataStorageMetrics")
            ? { dataStorageMetricsUrl: lane.hostUrl("dataStorageMetrics", "http", "/metrics") }
            : {}),
        ...extra,
        ...(has("postgres")
            ? {
                  postgresUrl: pulumi.secret(
                      pulumi.interpolate`postgresql://${postgres.user}:${postgres.password}@${lane.hostAddress("postgres")}/${postgres.database}?sslmode=disable`,
                  ),
              }
            : {}),
        caFile: spine.tls.caFile,
        coverageDir: lane.scope.coverageDir,
        suiteServiceAccount: suite.serviceAccountName,
        suiteToken: suite.token,
        images: Object.fromEntries(Object.entries(lane.images).map(([name, image]) => [camel(name), image.imageRef])),
    };
}
