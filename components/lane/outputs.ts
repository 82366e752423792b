/**
 * The outputs every lane's suite reads (the hand-off contract; see ARCHITECTURE.md): where the cluster is, how to
 * reach DataStorage from the host, the CA to trust, the suite's identity and the images. Lanes add their own URLs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Lane } from "./lane.js";
import type { LaneSpec } from "./spec.js";

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function laneOutputs<S extends LaneSpec>(
    lane: Lane<S>,
    extra: Record<string, unknown> = {},
): Record<string, unknown> {
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
