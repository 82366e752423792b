import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { engineFlags, type ContainerEngine } from "../lib/engine.js";
import { fingerprintBuild, type BuildContext, type GoBuild } from "../lib/fingerprint.js";
import { repositoryProblem } from "../lib/names.js";
import { Problems } from "../lib/problems.js";
import { effectiveBuildArgs, imageRefFor } from "../lib/image-ref.js";
import { registryRepository, type Registry } from "../lib/registry.js";
import { request, Step } from "./local/step.js";
import type { LocalImage } from "./local-image.js";

export interface ContainerImageArgs {
    /** Repository the image is tagged in, without a tag, e.g. `localhost/kubernaut/datastorage`. */
    readonly repository: string;
    /**
     * Build context: a directory, or a `BuildContext` that several images share so the directory is digested once.
     */
    readonly context: string | BuildContext;
    /** Dockerfile, relative to the context (as Kubernaut's `docker/<svc>.Dockerfile`) or absolute. */
    readonly dockerfile: string;
    /** Engine that builds the image; must be the one the cluster's nodes run on. */
    readonly engine: ContainerEngine;
    /** Build stage to build, as `--target`. @default - the last stage */
    readonly target?: string;
    /** Build arguments. @default {} */
    readonly buildArgs?: Readonly<Record<string, string>>;
    /** Instrument Go binaries for coverage (`--build-arg GOFLAGS=-cover`); part of the fingerprint. @default false */
    readonly coverage?: boolean;
    /**
     * The image builds these Go main packages: its tag then follows only their Go files (for the build's GOOS and
     * GOARCH), `go.mod`/`go.sum` and what the final stage copies, so an edit elsewhere in a shared context does not
     * rebuild it. Falls back to the whole context, with a warning, when the Dockerfile cannot be followed.
     * @default - the whole context decides the tag
     */
    readonly go?: GoBuild;
    /**
     * Deliver through this registry: the image is tagged `<registry>/<repository path>:<tag>` and pushed once; a tag
     * the registry already has is neither built nor pushed (another machine built the same inputs).
     * @default - the image stays in the engine's store, for archive loads
     */
    readonly registry?: Registry;
    /**
     * Stat-cache directory for the fingerprint, or `false` for none (a `BuildContext` brings its own). @default - the
     * user's cache directory
     */
    readonly fingerprintCacheDir?: string | false;
}

interface ResolvedContainerImageArgs extends Required<
    Omit<ContainerImageArgs, "target" | "fingerprintCacheDir" | "go" | "registry">
> {
    readonly contextDir: string;
    readonly registry?: Registry;
    readonly target?: string;
    readonly go?: GoBuild;
    readonly dockerfilePath: string;
    readonly fingerprintCacheDir?: string | false;
}

/** Checks what can be checked without the engine; every problem is reported at once. */
export function validateContainerImageArgs(name: string, args: ContainerImageArgs): ResolvedContainerImageArgs {
    const problems = new Problems();
    problems.check("repository", repositoryProblem(args.repository));
    const contextDir = typeof args.context === "string" ? path.resolve(args.context) : args.context.dir;
    const dockerfilePath = path.resolve(contextDir, args.dockerfile);
    if (!fs.statSync(contextDir, { throwIfNoEntry: false })?.isDirectory()) {
        problems.add("context", `\`${contextDir}\` is not a directory`);
    } else if (!fs.statSync(dockerfilePath, { throwIfNoEntry: false })?.isFile()) {
        problems.add("dockerfile", `\`${dockerfilePath}\` does not exist`);
    }
    if (args.target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(args.target)) {
        problems.add("target", `\`${args.target}\` is not a build stage name`);
    }
    (args.go?.packages ?? []).forEach((pkg, i) => {
        if (!/^\.{1,2}(\/[A-Za-z0-9_.-]+)*$/.test(pkg))
            problems.add(
                `go.packages[${i}]`,
                `\`${pkg}\` must be a package path relative to the context, e.g. ./cmd/api`,
            );
    });
    for (const key of Object.keys(args.buildArgs ?? {})) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
            problems.add(`buildArgs.${key}`, "is not a valid build argument name");
    }
    problems.throwIfAny(`ContainerImage "${name}"`);
    const coverage = args.coverage ?? false;
    return {
        ...args,
        // In registry mode the image is named after the registry from the first build on.
        repository: args.registry ? registryRepository(args.registry, args.repository) : args.repository,
        contextDir,
        dockerfilePath,
        coverage,
        buildArgs: effectiveBuildArgs(args.buildArgs ?? {}, coverage),
    };
}

/**
 * One image built with Docker or Podman under a content-addressed tag.
 *
 * The tag is `<repository>:<first 12 hex of the build fingerprint>`, computed while the program runs, so `preview`
 * shows the exact ref every dependent will use, and an unchanged context produces the same ref and no build. The
 * build is a {@link Step} (never run during preview); the step first checks whether the tag exists locally, so a
 * destroyed and re-created stack rebuilds nothing. Every diff checks that the image is still in the engine's store, so
 * an image pruned by hand is built again. Destroy leaves the image in the store on purpose: it is a cache keyed by
 * content. With a `registry`, the step pushes after building, and both its check and its observe ask the registry.
 */
export class ContainerImage extends pulumi.ComponentResource implements LocalImage {
    static readonly TYPE = "kubernaut-e2e:components:ContainerImage";

    /**
     * The image reference, known at plan time. A plain string by design (not an Output): dependents that must wait for
     * the build depend on this component; the value itself never waits.
     */
    readonly imageRef: string;
    /** Full hex fingerprint of the build inputs. */
    readonly fingerprint: string;
    /** What the tag follows: the whole context, or the Go build's inputs. */
    readonly identity: "context" | "go";
    /** Engine the image lives in. */
    readonly engine: ContainerEngine;
    /** With a `registry` the image is delivered by the push, and nodes pull it; otherwise only a load delivers it. */
    readonly pullPolicy: "Never" | "IfNotPresent";
    /** The build step, for edges to the build itself. */
    readonly build: Step;
    /** Same as `build`: after it, the image exists locally. */
    get ready(): Step {
        return this.build;
    }

    constructor(name: string, args: ContainerImageArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const resolved = validateContainerImageArgs(name, args);
        super(ContainerImage.TYPE, name, {}, opts);

        const fingerprint = fingerprintBuild({
            context: resolved.context,
            dockerfile: resolved.dockerfilePath,
            target: resolved.target,
            buildArgs: resolved.buildArgs,
            cacheDir: resolved.fingerprintCacheDir,
            go: resolved.go,
        });
        this.fingerprint = fingerprint.fingerprint;
        this.identity = fingerprint.identity;
        if (fingerprint.fallback)
            void pulumi.log.warn(
                `${name}: its tag follows the whole build context, not its Go packages: ${fingerprint.fallback}`,
                this,
            );
        this.imageRef = imageRefFor(resolved.repository, this.fingerprint);
        this.engine = resolved.engine;
        this.pullPolicy = resolved.registry ? "IfNotPresent" : "Never";
        this.build = this.createBuild(name, resolved);

        this.registerOutputs({ imageRef: this.imageRef, fingerprint: this.fingerprint });
    }

    private createBuild(name: string, resolved: ResolvedContainerImageArgs): Step {
        const insecure = resolved.registry?.insecure || undefined;
        return new Step(
            `${name}-build`,
            {
                create: request("image", "build", {
                    context: resolved.contextDir,
                    dockerfile: resolved.dockerfilePath,
                    repository: resolved.repository,
                    ...engineFlags(resolved.engine),
                    target: resolved.target,
                    go: resolved.go ? true : undefined,
                    "go-package": resolved.go?.packages.length ? [...resolved.go.packages] : undefined,
                    "go-tag": resolved.go?.tags?.length ? [...resolved.go.tags] : undefined,
                    // Coverage is already folded into buildArgs, so the step sees exactly what was fingerprinted.
                    "build-arg": Object.keys(resolved.buildArgs).length ? resolved.buildArgs : undefined,
                    push: resolved.registry ? true : undefined,
                    "insecure-registry": insecure,
                    // The step recomputes the tag from what it is given; a disagreement fails the build, not a Pod.
                    "promised-ref": this.imageRef,
                }),
                observe: request("image", "exists", {
                    image: this.imageRef,
                    ...engineFlags(resolved.engine),
                    "in-registry": resolved.registry ? true : undefined,
                    "insecure-registry": insecure,
                }),
                triggers: [this.imageRef],
            },
            { parent: this },
        );
    }
}
