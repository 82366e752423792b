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
import { digestContext, type ContextDigest } from "./fingerprint/context-digest.js";
import { sha256Hex } from "./sha256.js";

export { defaultCacheDir } from "./fingerprint/context-digest.js";

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
    constructor(dir: string, private readonly cacheDir?: string | false) {
        this.dir = path.resolve(dir);
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
     * Directory for the stat cache, or `false` for none (ignored when `context` is a `BuildContext`, which has its own).
     * @default - `$XDG_CACHE_HOME/kubernaut-e2e/fingerprint` (or `~/.cache/...`)
     */
    readonly cacheDir?: string | false;
}

export interface Fingerprint extends Omit<ContextDigest, "digest"> {
    /** Hex SHA-256 over everything that decides the image. */
    readonly fingerprint: string;
}

export function fingerprintBuild(args: FingerprintArgs): Fingerprint {
    const context = typeof args.context === "string" ? new BuildContext(args.context, args.cacheDir) : args.context;
    const dockerfile = path.resolve(args.dockerfile);
    const { digest: contextDigest, ...counts } = context.digest(DockerIgnore.forBuild(context.dir, dockerfile));
    const digest = crypto.createHash("sha256");
    digest.update(`${SCHEME}\n`);
    digest.update(`dockerfile\0${sha256Hex(fs.readFileSync(dockerfile))}\n`);
    digest.update(`target\0${args.target ?? ""}\n`);
    for (const [key, value] of Object.entries(args.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        digest.update(`arg\0${key}\0${value}\n`);
    }
    digest.update(`context\0${contextDigest}\n`);
    return { fingerprint: digest.digest("hex"), ...counts };
}
