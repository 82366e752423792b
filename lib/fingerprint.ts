/**
 * Content fingerprint of an image build: the Dockerfile, target, build args and the digest of the build context (every
 * file `.dockerignore` keeps). Two builds with the same fingerprint produce the same image, so the fingerprint is the
 * tag. Speed matters because the stack program computes it on every `up` and `preview`: see
 * `fingerprint/context-digest.ts` for the walk and `fingerprint/stat-cache.ts` for what it remembers between runs.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DockerIgnore } from "./dockerignore.js";
import { defaultCacheDir, digestContext, type ContextDigest } from "./fingerprint/context-digest.js";
import { goInputs, goTargetOf, type GoBuild } from "./fingerprint/go-inputs.js";
import { sha256Hex } from "./sha256.js";

export { defaultCacheDir } from "./fingerprint/context-digest.js";
export type { GoBuild } from "./fingerprint/go-inputs.js";

/** Bump when the digest layout changes, so old tags are not mistaken for new ones. */
const SCHEME = "kubernaut-e2e/fingerprint/v2";

/**
 * A build context directory shared by several images (Kubernaut builds every image from its repository root): its
 * content is digested once per set of ignore rules, however many images use it. Create one per program run; it does
 * not notice files that change after it has digested them.
 */
export class BuildContext {
    readonly dir: string;
    private readonly digests = new Map<string, ContextDigest>();

    /** @param cacheDir stat-cache directory, or `false` for none. @default - the user's cache directory */
    constructor(
        dir: string,
        private readonly cacheDir?: string | false,
    ) {
        this.dir = path.resolve(dir);
    }

    /** Where this context's caches live, or `false` for none. */
    get cache(): string | false {
        return this.cacheDir === false ? false : (this.cacheDir ?? defaultCacheDir());
    }

    /** The digest of what `ignore` keeps. */
    digest(ignore: DockerIgnore): ContextDigest {
        const key = `${ignore.source ?? ""}\0${ignore.text}`;
        let digest = this.digests.get(key);
        if (!digest) {
            digest = digestContext(this.dir, ignore, this.cacheDir);
            this.digests.set(key, digest);
        }
        return digest;
    }
}

export interface FingerprintArgs {
    /** Build context: a directory, or a `BuildContext` shared with other images. */
    readonly context: string | BuildContext;
    /** Dockerfile path (absolute, or relative to the working directory). */
    readonly dockerfile: string;
    /** Build stage, as `--target`. @default - the last stage */
    readonly target?: string;
    /** Build arguments, as `--build-arg K=V`. @default {} */
    readonly buildArgs?: Readonly<Record<string, string>>;
    /**
     * Directory for the stat cache, or `false` for none (ignored when `context` is a `BuildContext`, which has its
     * own).
     * @default - `$XDG_CACHE_HOME/kubernaut-e2e/fingerprint` (or `~/.cache/...`)
     */
    readonly cacheDir?: string | false;
    /**
     * The image builds these Go main packages: only their files (and module files, and what the final stage copies)
     * count, not the whole context. @default - the whole context counts
     */
    readonly go?: GoBuild;
}

export interface Fingerprint extends Omit<ContextDigest, "digest" | "entries"> {
    /** Hex SHA-256 over everything that decides the image. */
    readonly fingerprint: string;
    /** What the context part covers: every kept file, or the Go build's inputs. */
    readonly identity: "context" | "go";
    /** Context files the fingerprint covers. */
    readonly inputs: number;
    /** Why a Go build's identity fell back to the whole context. */
    readonly fallback?: string;
}

export function fingerprintBuild(args: FingerprintArgs): Fingerprint {
    const context = typeof args.context === "string" ? new BuildContext(args.context, args.cacheDir) : args.context;
    const dockerfile = path.resolve(args.dockerfile);
    const { digest: wholeContext, entries, ...counts } = context.digest(DockerIgnore.forBuild(context.dir, dockerfile));
    let contextDigest = wholeContext;
    let identity: Fingerprint["identity"] = "context";
    let inputs = counts.files;
    let fallback: string | undefined;
    if (args.go) {
        const selected = goInputs(
            context.dir,
            fs.readFileSync(dockerfile, "utf8"),
            args.target,
            args.go,
            goTargetOf(args.buildArgs),
            entries,
            context.cache,
        );
        if ("files" in selected) {
            const lines = selected.files
                .map((rel) => entries.get(rel))
                .filter((line): line is string => line !== undefined);
            contextDigest = `go:${sha256Hex(lines.join(""))}`;
            identity = "go";
            inputs = lines.length;
        } else {
            fallback = selected.fallback;
        }
    }
    const digest = crypto.createHash("sha256");
    digest.update(`${SCHEME}\n`);
    digest.update(`dockerfile\0${sha256Hex(fs.readFileSync(dockerfile))}\n`);
    digest.update(`target\0${args.target ?? ""}\n`);
    for (const [key, value] of Object.entries(args.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        digest.update(`arg\0${key}\0${value}\n`);
    }
    digest.update(`context\0${contextDigest}\n`);
    return { fingerprint: digest.digest("hex"), ...counts, identity, inputs, ...(fallback ? { fallback } : {}) };
}
