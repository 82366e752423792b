/**
 * Every host path and name a stack uses, derived from the stack name alone, so two stacks never share a file, a
 * cluster or a kubeconfig and can run on one host at once. Nothing else in the project builds such paths.
 */
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: where `Pulumi.yaml` is (this file is compiled to `bin/lib/`). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface StackScope {
    readonly stack: string;
    /** `.work/<stack>/` under the project (or `$KUBERNAUT_E2E_WORK_ROOT/<stack>`): git-ignored, this stack's alone. */
    readonly workDir: string;
    /** kind cluster name. @default - the stack name */
    readonly clusterName: string;
    /** Where the cluster's kubeconfig is written (mode 0600). */
    readonly kubeconfigPath: string;
    /** The `cluster` step's record of the cluster it created. */
    readonly clusterStateDir: string;
    /** Image archives on their way into the cluster; each is removed after its load. */
    readonly archiveDir: string;
    /** Host directory mounted at `/coverdata` in the node, where instrumented binaries write coverage. */
    readonly coverageDir: string;
    /** PEM of the inter-service CA, for test processes that call the services over TLS. */
    readonly caFile: string;
    /** Timelines and other reports of this stack's runs. */
    readonly reportsDir: string;
}

/** Overrides where stacks keep their files (`<project>/.work` by default), e.g. to keep tests apart. */
export const WORK_ROOT_ENV = "KUBERNAUT_E2E_WORK_ROOT";

/** A user's path: `~/…` in their home, relative paths against the project (never the working directory). */
export function userPath(value: string): string {
    return path.resolve(
        PROJECT_ROOT,
        value === "~" || value.startsWith("~/") ? path.join(os.homedir(), value.slice(1)) : value,
    );
}

export interface StackScopeOptions {
    /** @default - the stack name */
    readonly clusterName?: string;
    /** Where the kubeconfig goes instead of the stack's directory, e.g. Kubernaut's `~/.kube/<cluster>-config`. */
    readonly kubeconfigPath?: string;
    readonly workRoot?: string;
}

export function stackScope(stack: string, options: StackScopeOptions = {}): StackScope {
    // Relative to the project, not to the working directory (the engine runs the program in its own folder).
    const workRoot = path.resolve(PROJECT_ROOT, options.workRoot ?? process.env[WORK_ROOT_ENV] ?? ".work");
    const workDir = path.join(workRoot, stack);
    return {
        stack,
        workDir,
        clusterName: options.clusterName ?? stack,
        kubeconfigPath: options.kubeconfigPath ? userPath(options.kubeconfigPath) : path.join(workDir, "kubeconfig"),
        clusterStateDir: path.join(workDir, "cluster"),
        archiveDir: path.join(workDir, "archives"),
        coverageDir: path.join(workDir, "coverdata"),
        caFile: path.join(workDir, "inter-service-ca.pem"),
        reportsDir: path.join(workDir, "reports"),
    };
}
