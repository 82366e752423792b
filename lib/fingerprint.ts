/**
 * Content fingerprint of an image build: the Dockerfile, target, build args and every file of the context that
 * `.dockerignore` keeps (path, mode, content). Two builds with the same fingerprint produce the same image, so the
 * fingerprint is the tag.
 *
 * Speed matters because the stack program computes it on every `up` and `preview`. Three things keep it fast:
 * excluded directories are not entered unless a `!` pattern could re-include something inside them; file contents
 * are hashed only when a stat cache (size, mtime, ctime, inode → hash) kept outside the Pulumi state misses; and the
 * walk is synchronous, which for thousands of small `lstat` calls beats the promise API's per-call overhead.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DockerIgnore } from "./dockerignore.js";

/** Bump when the digest layout changes, so old tags are not mistaken for new ones. */
const SCHEME = "kubernaut-e2e/fingerprint/v1";

export interface FingerprintArgs {
    /** Build context directory. */
    readonly contextDir: string;
    /** Dockerfile path (absolute, or relative to the working directory). */
    readonly dockerfile: string;
    /** Build stage, as `--target`. @default - the last stage */
    readonly target?: string;
    /** Build arguments, as `--build-arg K=V`. @default {} */
    readonly buildArgs?: Readonly<Record<string, string>>;
    /**
     * Directory for the stat cache, or `false` for none.
     * @default - `$XDG_CACHE_HOME/kubernaut-e2e/fingerprint` (or `~/.cache/...`)
     */
    readonly cacheDir?: string | false;
}

export interface Fingerprint {
    /** Hex SHA-256 over everything that decides the image. */
    readonly fingerprint: string;
    /** Files and symlinks kept by `.dockerignore`. */
    readonly files: number;
    /** Bytes of those files. */
    readonly bytes: number;
    /** Files whose content had to be read (stat-cache misses). */
    readonly hashedFiles: number;
}

/** A file's identity as the cache sees it: [size, mtimeMs, ctimeMs, ino, contentHash]. */
type CacheEntry = [number, number, number, number, string];

/**
 * A file written this recently may be written again within the file system's timestamp granularity, keeping its
 * mtime: never cache it (git's "racy clean" rule).
 */
const RACY_WINDOW_MS = 2000;

export function defaultCacheDir(): string {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(base, "kubernaut-e2e", "fingerprint");
}

export function fingerprintBuild(args: FingerprintArgs): Fingerprint {
    const contextDir = path.resolve(args.contextDir);
    const dockerfile = path.resolve(args.dockerfile);
    const ignore = DockerIgnore.forBuild(contextDir, dockerfile);
    const cacheFile =
        args.cacheDir === false ? undefined : path.join(args.cacheDir ?? defaultCacheDir(), `${sha256(contextDir).slice(0, 24)}.json`);
    const cache = cacheFile ? readCache(cacheFile) : new Map<string, CacheEntry>();
    const nextCache = new Map<string, CacheEntry>();
    const now = Date.now();

    const digest = crypto.createHash("sha256");
    digest.update(`${SCHEME}\n`);
    digest.update(`dockerfile\0${sha256(fs.readFileSync(dockerfile))}\n`);
    digest.update(`target\0${args.target ?? ""}\n`);
    for (const [key, value] of Object.entries(args.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        digest.update(`arg\0${key}\0${value}\n`);
    }

    let files = 0;
    let bytes = 0;
    let hashedFiles = 0;
    const visit = (absDir: string, relDir: string): void => {
        const names = fs.readdirSync(absDir).sort();
        for (const name of names) {
            const rel = relDir === "" ? name : `${relDir}/${name}`;
            const abs = `${absDir}/${name}`;
            const st = fs.lstatSync(abs);
            const ignored = ignore.ignores(rel);
            if (st.isDirectory()) {
                if (ignored && !ignore.mayReinclude(rel)) continue;
                visit(abs, rel);
                continue;
            }
            if (ignored) continue;
            let content: string;
            if (st.isSymbolicLink()) {
                content = `link:${fs.readlinkSync(abs)}`;
            } else if (st.isFile()) {
                const cached = cache.get(rel);
                if (cached && cached[0] === st.size && cached[1] === st.mtimeMs && cached[2] === st.ctimeMs && cached[3] === st.ino) {
                    content = cached[4];
                } else {
                    content = sha256(fs.readFileSync(abs));
                    hashedFiles++;
                }
                if (now - st.mtimeMs > RACY_WINDOW_MS) {
                    nextCache.set(rel, [st.size, st.mtimeMs, st.ctimeMs, st.ino, content]);
                }
                bytes += st.size;
            } else {
                continue; // sockets, FIFOs and devices are not sent by Docker either
            }
            files++;
            digest.update(`${rel}\0${(st.mode & 0o170777).toString(8)}\0${content}\n`);
        }
    };
    visit(contextDir, "");

    if (cacheFile && (hashedFiles > 0 || nextCache.size !== cache.size)) writeCache(cacheFile, nextCache);
    return { fingerprint: digest.digest("hex"), files, bytes, hashedFiles };
}

function sha256(data: string | Buffer): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}

function readCache(file: string): Map<string, CacheEntry> {
    try {
        return new Map(Object.entries(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, CacheEntry>));
    } catch {
        return new Map(); // missing or corrupt: a cache only saves time, so start over
    }
}

function writeCache(file: string, cache: Map<string, CacheEntry>): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Write-then-rename so two programs fingerprinting at once never read a half-written cache.
        const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
        fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(cache)));
        fs.renameSync(tmp, file);
    } catch {
        // A read-only or full cache directory only costs speed.
    }
}
