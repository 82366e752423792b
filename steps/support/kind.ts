/**
 * Every command line this project hands to kind, in one place. kind cannot run on every machine that runs the tests,
 * so these builders are unit-tested instead; the step programs only execute what they return.
 */
import { findOnPath, kindProviderEnv, type ContainerEngine } from "../../lib/engine.js";

/** Names the kind binary to use, instead of `kind` on PATH. */
export const KIND_BIN_ENV = "KUBERNAUT_E2E_KIND";

export interface KindTool {
    readonly bin: string;
    /** Environment for every kind call: selects the node provider. */
    readonly env: Readonly<Record<string, string>>;
}

export function kindTool(engine: ContainerEngine, env: NodeJS.ProcessEnv = process.env, bin?: string): KindTool {
    return { bin: bin ?? env[KIND_BIN_ENV] ?? "kind", env: kindProviderEnv(engine) };
}

/** True when the kind binary can be run (an explicit path is trusted; a bare name is looked up on PATH). */
export function kindAvailable(tool: KindTool, env: NodeJS.ProcessEnv = process.env): boolean {
    return tool.bin.includes("/") || findOnPath(tool.bin, env) !== undefined;
}

export const kindArgs = {
    version: (): string[] => ["version"],
    getClusters: (): string[] => ["get", "clusters"],
    create: (name: string, configFile: string, kubeconfig: string, waitSeconds: number): string[] => [
        "create",
        "cluster",
        "--name",
        name,
        "--config",
        configFile,
        "--kubeconfig",
        kubeconfig,
        "--wait",
        `${waitSeconds}s`,
    ],
    delete: (name: string, kubeconfig?: string): string[] =>
        kubeconfig
            ? ["delete", "cluster", "--name", name, "--kubeconfig", kubeconfig]
            : ["delete", "cluster", "--name", name],
    getKubeconfig: (name: string): string[] => ["get", "kubeconfig", "--name", name],
    loadArchive: (name: string, archive: string): string[] => ["load", "image-archive", archive, "--name", name],
};

/** kind names the single control-plane node container `<cluster>-control-plane`. */
export function controlPlaneContainer(clusterName: string): string {
    return `${clusterName}-control-plane`;
}

/** The engine argv that reads a node container's ID: the cluster's identity, new on every re-creation. */
export function identityArgs(clusterName: string): string[] {
    return ["inspect", "--format", "{{.Id}}", controlPlaneContainer(clusterName)];
}
