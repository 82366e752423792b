/**
 * Every verb of every step program and its flags, declared once (the kinds of flag: `step-flags.ts`). Components
 * build typed requests of them (`stepRequest`), the provider writes a request as the step's argument list
 * (`stepArgv`), each step program takes its verbs' command lines and `--help` from here (`steps/support/verb.ts`),
 * and the policy and the plan tools read the same typed requests out of a plan.
 *
 * A request is written in its verb's declared flag order (Pulumi does not keep an object's key order), and the
 * provider compares argument lists flag by flag (`canonicalArgv`), so state written by the argument lists of earlier
 * versions reads as no change.
 */
import * as path from "node:path";
import { z } from "zod";
import { ENGINE_NAMES } from "./engine.js";
import { clusterNameProblem, imageReferenceProblem, repositoryProblem } from "./names.js";
import type { StepName } from "./step-contract.js";
import { flags, type FlagDef, type VerbDef, type VerbRequestFlags } from "./step-flags.js";

const engine = {
    engine: flags.choice(ENGINE_NAMES, "container engine (default: auto-detected)"),
    "engine-bin": flags.optionalText(
        "PATH",
        "engine executable (default: KUBERNAUT_E2E_DOCKER / KUBERNAUT_E2E_PODMAN, then PATH)",
    ),
};
const kind = { kind: flags.optionalText("PATH", "kind executable (default: KUBERNAUT_E2E_KIND, then PATH)") };
const kubectl = {
    kubectl: flags.optionalText("PATH", "kubectl executable (default: KUBERNAUT_E2E_KUBECTL, then PATH)"),
};
const registry = { "insecure-registry": flags.boolean("the registry speaks plain HTTP") };
const imageRef = (description = "image reference") => flags.text("REF", description, imageReferenceProblem);
const dnsName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const buildInputs = {
    context: flags.text("DIR", "build context"),
    dockerfile: flags.text("FILE", "Dockerfile, relative to the context or absolute"),
    target: flags.optionalText("STAGE", "build stage (default: the last)", (v) =>
        /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v) ? undefined : "must be a build stage name",
    ),
    coverage: flags.boolean("build Go binaries with coverage (adds GOFLAGS=-cover)"),
    go: flags.boolean(
        "the tag follows the Go build's inputs (the --go-package packages, go.mod/go.sum and what the final stage copies), not the whole context",
    ),
    "go-package": flags.list(
        "PKG",
        "a Go main package the image builds: only its inputs count for the tag (repeatable; implies --go)",
        z
            .string()
            .regex(
                /^\.{1,2}\/[A-Za-z0-9_./-]*$|^\.$/,
                "must be a package path relative to the context, e.g. ./cmd/api",
            ),
    ),
    "go-tag": flags.list(
        "TAG",
        "a Go build tag of those packages (repeatable)",
        z.string().regex(/^[A-Za-z0-9_.]+$/, "must be a build tag"),
    ),
    "build-arg": flags.keyValues("K=V", "build argument (repeatable)"),
};
const repository = flags.text("NAME", "image repository, without a tag (localhost/kubernaut/datastorage)");

const clusterFlags = {
    name: flags.text("NAME", "kind cluster name", clusterNameProblem),
    kubeconfig: flags.optionalText("FILE", "where the kubeconfig is written (mode 0600)"),
    "state-dir": flags.text("DIR", "the stack's cluster record and rendered config"),
    config: flags.optionalText("FILE", "kind config file"),
    "config-yaml": flags.yaml("YAML", "kind config (written to the state directory)"),
    "wait-seconds": flags.integer("N", "kind create --wait", { min: 0, max: 3600, fallback: 60 }),
    ...engine,
    ...kind,
    "ensure-dir": flags.list("DIR", "host directory to create for a mount (repeatable)"),
    "write-file": flags.list(
        "PATH=TEXT",
        "file under the state directory to write before creating, e.g. containerd's hosts.toml (repeatable)",
        z.string().regex(/^[^=]+=/, "must be PATH=TEXT"),
    ),
};

const absolutePath = flags.text("FILE", "absolute path of the file", (p) =>
    path.isAbsolute(p) ? undefined : "must be an absolute path",
);
const crdClaim = {
    kubeconfig: flags.text("FILE", "the stack's kubeconfig"),
    namespace: flags.text("NS", "this stack's namespace, which carries the claim", (v) =>
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : "must be a namespace name",
    ),
    claim: flags.text("KEY=VALUE", "the label every namespace that uses the CRDs carries", (v) =>
        /^[a-z0-9./-]+=[A-Za-z0-9._-]+$/.test(v) ? undefined : "must be a label `key=value`",
    ),
    name: flags.someOf(
        "CRD",
        "a shared CustomResourceDefinition (repeatable)",
        z.string().regex(dnsName, "must be CRD names"),
    ),
    ...kubectl,
};

const jsonObject = z.string().refine((p) => {
    try {
        const value: unknown = JSON.parse(p);
        return typeof value === "object" && value !== null && !Array.isArray(value);
    } catch {
        return false;
    }
}, "must be a JSON object");

/** An AWX job template, as `awx configure` creates it. */
export const AWX_TEMPLATE = z.strictObject({
    name: z.string().min(1),
    playbook: z.string().min(1),
    description: z.string(),
    askCredential: z.boolean().optional(),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any flag kind
const verb = <F extends Record<string, FlagDef<any, any>>>(description: string, f: F) => ({ description, flags: f });

export const STEP_VERBS = {
    image: {
        build: verb("build an image under its content-addressed tag, unless that tag exists", {
            context: buildInputs.context,
            dockerfile: buildInputs.dockerfile,
            repository,
            ...engine,
            target: buildInputs.target,
            go: buildInputs.go,
            "go-package": buildInputs["go-package"],
            "go-tag": buildInputs["go-tag"],
            "build-arg": buildInputs["build-arg"],
            coverage: buildInputs.coverage,
            push: flags.boolean(
                "push to the repository's registry, unless the registry has the tag (then build nothing)",
            ),
            ...registry,
            "promised-ref": flags.optionalText(
                "REF",
                "the ref the stack promised every dependent: the build fails, naming both, if these inputs give another",
            ),
        }),
        save: verb("save an image as a docker-archive tarball (what `kind load image-archive` reads)", {
            image: imageRef(),
            ...engine,
            output: flags.text("FILE", "archive to write"),
        }),
        pull: verb("pull an image unless it is already in the engine's store", {
            image: imageRef(),
            ...engine,
            "stand-in": flags.optionalText(
                "REF",
                "a local image to tag as --image instead of pulling it (where no registry serves it)",
                imageReferenceProblem,
            ),
        }),
        exists: verb(
            "whether an image is in the engine's store, or with --in-registry in its registry (the build, pull and push steps' observe check)",
            {
                image: imageRef(),
                ...engine,
                "in-registry": flags.boolean("ask the image's registry instead of the engine"),
                ...registry,
            },
        ),
        push: verb("copy a local image into a registry under another ref, unless the registry has that ref", {
            image: imageRef(),
            to: imageRef("the registry ref"),
            ...registry,
            ...engine,
        }),
        fingerprint: verb("the fingerprint (and, with --repository, the ref) an image of these inputs gets", {
            ...buildInputs,
            repository: flags.optionalText("NAME", "image repository, without a tag", repositoryProblem),
        }),
    },
    cluster: {
        create: verb(
            "create the cluster (or adopt this stack's own), write its kubeconfig, print its identity",
            clusterFlags,
        ),
        delete: verb("delete the cluster, its record and kubeconfig (succeeds when it is already gone)", clusterFlags),
        status: verb(
            "whether the cluster this stack recorded is still there (the create step's observe check)",
            clusterFlags,
        ),
    },
    load: {
        image: verb(
            "save the image from the engine and load it into the kind cluster; the archive is removed afterwards",
            {
                image: flags.text("REF", "the image to load, already in the engine's store"),
                cluster: flags.text("NAME", "kind cluster name"),
                "archive-dir": flags.text("DIR", "the stack's directory for the temporary archive"),
                ...engine,
                ...kind,
            },
        ),
    },
    file: {
        write: verb("write standard input to the file, atomically", {
            path: absolutePath,
            mode: flags.textOr("MODE", "octal mode (default 0644)", "0644", (v) =>
                /^0?[0-7]{3}$/.test(v) ? undefined : "must be an octal mode such as 0644",
            ),
        }),
        delete: verb("delete the file (succeeds when it is already gone)", { path: absolutePath }),
    },
    kube: {
        "patch-status": verb("merge-patch the status of each named object with kubectl --subresource=status", {
            kubeconfig: flags.text("FILE", "the stack's kubeconfig"),
            namespace: flags.text("NS", "namespace of the objects", (v) =>
                /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : "must be a namespace name",
            ),
            resource: flags.text("PLURAL.GROUP", "resource, e.g. actiontypes.kubernaut.ai", (v) =>
                /^[a-z0-9]+(\.[a-z0-9.-]+)?$/.test(v)
                    ? undefined
                    : "must be `plural.group`, e.g. `actiontypes.kubernaut.ai`",
            ),
            name: flags.someOf(
                "NAME",
                "object to patch (repeatable)",
                z.string().regex(dnsName, "must be object names"),
            ),
            patch: flags.someOf("JSON", "merge patch of the status: once for every name, or once per name", jsonObject),
            "registered-at-now": flags.boolean("add status.registeredAt, the time of the patch"),
            ...kubectl,
        }),
        "claim-crds": verb(
            "record nothing: this stack's namespace label is its claim on the shared CRDs (the create of their release step)",
            crdClaim,
        ),
        "release-crds": verb("delete the shared CRDs unless another namespace still claims them", crdClaim),
    },
    awx: {
        configure: verb(
            "create (or find) the organization, project, inventory and job templates, and issue an API token",
            {
                url: flags.text("URL", "AWX's base URL from the host, e.g. http://127.0.0.1:30095", (v) =>
                    z.url().safeParse(v).success ? undefined : "must be a URL",
                ),
                username: flags.textOr("NAME", "admin user (default: admin)", "admin"),
                organization: flags.textOr("NAME", "organization to use (default: Kubernaut E2E)", "Kubernaut E2E"),
                "project-url": flags.textOr(
                    "URL",
                    "git repository of the playbooks",
                    "https://github.com/jordigilh/kubernaut-test-playbooks.git",
                ),
                "project-revision": flags.textOr(
                    "REV",
                    "commit of the playbooks",
                    "42eadeba052b13e3ec4e113ebc8165efd5497974",
                ),
                templates: flags.json(
                    "JSON",
                    "job templates: [{name, playbook, description, askCredential?}]",
                    z.array(AWX_TEMPLATE),
                ),
                "timeout-seconds": flags.integer("N", "how long AWX may take to come up (default: 720)", {
                    min: 1,
                    max: 3600,
                    fallback: 720,
                }),
            },
        ),
    },
} as const satisfies Record<StepName, Record<string, VerbDef>>;

export type { StepName };
export type VerbName<S extends StepName> = keyof (typeof STEP_VERBS)[S] & string;
/** The declaration of `step verb`. */
export type VerbOf<S extends StepName, V extends VerbName<S>> = (typeof STEP_VERBS)[S][V] extends infer D extends
    VerbDef
    ? D
    : never;
/** The typed flags of a request of `step verb`. */
export type RequestValues<S extends StepName, V extends VerbName<S>> = VerbRequestFlags<VerbOf<S, V>>;

/** A typed request of one verb: what a Step resource runs, and what the policy and plan tools read. */
export interface StepRequest<S extends StepName = StepName, V extends VerbName<S> = VerbName<S>> {
    readonly step: S;
    readonly verb: V;
    readonly flags: VerbRequestFlags<VerbOf<S, V>>;
}

/** A request of `step verb`, its flags checked against the verb's declaration before anything is registered. */
export function stepRequest<S extends StepName, V extends VerbName<S>>(
    step: S,
    verb: V,
    values: VerbRequestFlags<VerbOf<S, V>>,
): StepRequest<S, V> {
    const def = verbDef(step, verb);
    const unknown = Object.keys(values).filter((k) => !Object.hasOwn(def.flags, k));
    if (unknown.length) throw new Error(`${step} ${verb}: unknown flag(s) ${unknown.map((k) => `--${k}`).join(", ")}`);
    return { step, verb, flags: values };
}

export function verbDef(step: string, verb: string): VerbDef {
    const verbs = (STEP_VERBS as Record<string, Record<string, VerbDef>>)[step];
    const def = verbs && Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
    if (!def) throw new Error(`no step verb \`${step} ${verb}\``);
    return def;
}

/** The request as the step's argument list: the verb, then each flag it sets, in the verb's declared order. */
export function stepArgv(request: {
    readonly step: string;
    readonly verb: string;
    readonly flags: Readonly<Record<string, unknown>>;
}): string[] {
    const def = verbDef(request.step, request.verb);
    const unknown = Object.keys(request.flags).filter((name) => !Object.hasOwn(def.flags, name));
    if (unknown.length)
        throw new Error(`${request.step} ${request.verb}: unknown flag(s) ${unknown.map((n) => `--${n}`).join(", ")}`);
    const argv = [request.verb];
    for (const [name, flag] of Object.entries(def.flags)) {
        const value = request.flags[name];
        if (value === undefined) continue;
        for (const written of flag.encode(value))
            argv.push(...(flag.type === "boolean" ? [`--${name}`] : [`--${name}`, written]));
    }
    return argv;
}

/**
 * An argument list with its flags in name order (a repeated flag's values keep theirs): two lists that set the same
 * flags to the same values are equal in this form, whatever order they were written in.
 */
export function canonicalArgv(argv: readonly string[]): string[] {
    const [verb, ...rest] = argv;
    const pairs: Array<[string, string | undefined]> = [];
    for (let i = 0; i < rest.length; i++) {
        const next = rest[i + 1];
        const takesValue = next !== undefined && !next.startsWith("--");
        pairs.push([rest[i], takesValue ? next : undefined]);
        if (takesValue) i++;
    }
    const names = [...new Set(pairs.map(([name]) => name))].sort();
    return [
        verb,
        ...names.flatMap((name) =>
            pairs.filter(([n]) => n === name).flatMap(([n, v]) => (v === undefined ? [n] : [n, v])),
        ),
    ];
}

/** The typed flags of `resource`'s request when it is a Step running `step verb` (a plan's or the policy's view). */
export function requestFlags<S extends StepName, V extends VerbName<S>>(
    inputs: Readonly<Record<string, unknown>>,
    step: S,
    verb: V,
): VerbRequestFlags<VerbOf<S, V>> | undefined {
    const create = inputs.create as { step?: string; verb?: string; flags?: unknown } | undefined;
    if (inputs.step !== step || create?.verb !== verb) return undefined;
    return create.flags as VerbRequestFlags<VerbOf<S, V>>;
}
