import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { Problems } from "../lib/problems.js";
import type { ClusterTarget } from "./cluster-target.js";
import { sharedClusterTransformation, type SharedClusterTenant } from "./shared-cluster.js";
import { request, Step } from "./local/step.js";

export interface ExistingClusterArgs {
    /** Kubeconfig contents; pass a secret. One of `kubeconfig` and `kubeconfigFile` is required. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** A kubeconfig file (absolute), read when the program runs. */
    readonly kubeconfigFile?: string;
    /** The context to use. @default - the kubeconfig's `current-context` */
    readonly context?: string;
    /** Where the stack's own kubeconfig (that context alone, mode 0600) is written, for steps and test processes. */
    readonly kubeconfigPath: string;
    /**
     * The stack's place on the shared cluster: every object on it is named for the stack and kept to its namespace
     * (`sharedClusterTransformation`). @default - objects pass unchanged
     */
    readonly tenant?: SharedClusterTenant;
}

interface Kubeconfig {
    "current-context"?: string;
    contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
    clusters?: { name: string; cluster: Record<string, unknown> & { server?: string } }[];
    users?: { name: string; user: Record<string, unknown> }[];
}

/** File references in a kubeconfig are relative to the file; the stack's copy lives elsewhere. */
const FILE_FIELDS = ["certificate-authority", "client-certificate", "client-key", "tokenFile"];

/**
 * The kubeconfig reduced to one context, with file references made absolute; throws naming what is missing. Exported
 * for tests.
 */
export function singleContextKubeconfig(
    text: string,
    context: string | undefined,
    baseDir?: string,
): { yaml: string; server: string; context: string } {
    const config = (parse(text) ?? {}) as Kubeconfig;
    const name = context ?? config["current-context"];
    if (!name) throw new Error("names no `current-context`; set `context`");
    const entry = config.contexts?.find((c) => c.name === name);
    if (!entry)
        throw new Error(
            `has no context \`${name}\`; it has ${(config.contexts ?? []).map((c) => `\`${c.name}\``).join(", ") || "none"}`,
        );
    const cluster = config.clusters?.find((c) => c.name === entry.context.cluster);
    const user = config.users?.find((u) => u.name === entry.context.user);
    if (!cluster?.cluster.server)
        throw new Error(
            `context \`${name}\` names cluster \`${entry.context.cluster}\`, which it does not define with a server`,
        );
    if (!user) throw new Error(`context \`${name}\` names user \`${entry.context.user}\`, which it does not define`);
    const absolute = (fields: Record<string, unknown>) =>
        Object.fromEntries(
            Object.entries(fields).map(([k, v]) => [
                k,
                baseDir && FILE_FIELDS.includes(k) && typeof v === "string" && !path.isAbsolute(v)
                    ? path.resolve(baseDir, v)
                    : v,
            ]),
        );
    const reduced: Kubeconfig & Record<string, unknown> = {
        apiVersion: "v1",
        kind: "Config",
        "current-context": name,
        contexts: [{ name, context: { cluster: entry.context.cluster, user: entry.context.user } }],
        clusters: [{ name: cluster.name, cluster: absolute(cluster.cluster) }],
        users: [{ name: user.name, user: absolute(user.user) }],
    };
    return { yaml: stringify(reduced), server: cluster.cluster.server, context: name };
}

/**
 * A Kubernetes cluster that exists already and that other stacks may share: nothing is created or destroyed but this
 * stack's objects. Its identity is the API server and context, so the same cluster reached through a new kubeconfig
 * (rotated credentials) replaces nothing. Unlike a kind cluster, an unreachable one fails destroy rather than dropping
 * objects from state: they may still exist.
 */
export class ExistingCluster extends pulumi.ComponentResource implements ClusterTarget {
    static readonly TYPE = "kubernaut-e2e:components:ExistingCluster";

    readonly clusterName: string;
    readonly kubeconfigPath: string;
    readonly kubeconfig: pulumi.Output<string>;
    readonly identity: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    readonly shared = true;
    readonly kubeconfigFile: Step;
    private readonly tenancy?: pulumi.ResourceTransformation;

    get ready(): Step {
        return this.kubeconfigFile;
    }

    constructor(name: string, args: ExistingClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = new Problems();
        if ((args.kubeconfig === undefined) === (args.kubeconfigFile === undefined))
            problems.add("kubeconfig", "give the kubeconfig's contents or a kubeconfig file, not both and not neither");
        let fromFile: ReturnType<typeof singleContextKubeconfig> | undefined;
        if (args.kubeconfigFile !== undefined) {
            if (!path.isAbsolute(args.kubeconfigFile))
                problems.add("kubeconfigFile", `\`${args.kubeconfigFile}\` must be absolute`);
            else if (!fs.existsSync(args.kubeconfigFile))
                problems.add("kubeconfigFile", `\`${args.kubeconfigFile}\` does not exist`);
            else {
                try {
                    fromFile = singleContextKubeconfig(
                        fs.readFileSync(args.kubeconfigFile, "utf8"),
                        args.context,
                        path.dirname(args.kubeconfigFile),
                    );
                } catch (err) {
                    problems.add("kubeconfigFile", `\`${args.kubeconfigFile}\` ${(err as Error).message}`);
                }
            }
        }
        problems.throwIfAny(`ExistingCluster "${name}"`);
        super(ExistingCluster.TYPE, name, {}, opts);

        const reduced = fromFile
            ? pulumi.output(fromFile)
            : pulumi.output(args.kubeconfig!).apply((text) => {
                  try {
                      return singleContextKubeconfig(text, args.context);
                  } catch (err) {
                      throw new pulumi.RunError(`ExistingCluster "${name}": the kubeconfig ${(err as Error).message}`);
                  }
              });
        this.tenancy = args.tenant && sharedClusterTransformation(args.tenant);
        this.clusterName = fromFile?.context ?? args.context ?? "existing";
        this.kubeconfigPath = args.kubeconfigPath;
        this.kubeconfig = pulumi.secret(reduced.apply((r) => r.yaml));
        this.identity = pulumi.unsecret(
            reduced.apply(
                (r) =>
                    `existing-${crypto.createHash("sha256").update(`${r.server}\n${r.context}`).digest("hex").slice(0, 12)}`,
            ),
        );
        this.provider = new k8s.Provider(
            `${name}-provider`,
            { kubeconfig: this.kubeconfig, clusterIdentifier: this.identity },
            { parent: this },
        );
        this.kubeconfigFile = new Step(
            `${name}-kubeconfig`,
            {
                create: request("file", "write", { path: this.kubeconfigPath, mode: "0600" }),
                delete: request("file", "delete", { path: this.kubeconfigPath }),
                stdin: this.kubeconfig,
                triggers: [this.kubeconfigPath],
            },
            { parent: this },
        );

        this.registerOutputs({
            clusterName: this.clusterName,
            kubeconfigPath: this.kubeconfigPath,
            identity: this.identity,
        });
    }

    /**
     * The provider, and the stack's tenancy on every object; no `deletedWith`: on a shared cluster each object is
     * deleted on its own, never by deleting the cluster.
     */
    objectOptions(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        const tenancy = this.tenancy ? [this.tenancy] : [];
        return {
            ...extra,
            provider: this.provider,
            ...(tenancy.length || extra.transformations
                ? { transformations: [...(extra.transformations ?? []), ...tenancy] }
                : {}),
        };
    }
}
