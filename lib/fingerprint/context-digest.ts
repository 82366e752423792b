/**
 * The content digest of a build context: every file `.dockerignore` keeps (path, mode, content; symlinks by target),
 * in a fixed order. Excluded directories are not entered unless a `!` pattern could reach inside; file contents are
 * read only when the stat cache misses, through the open descriptor into one reused buffer. The walk is synchronous:
 * for thousands of small calls it beats the promise API's per-call overhead. (Hashing on a worker thread while reading
 * was tried and measured no faster on the 2-core machines this project runs on, where reads themselves load both
 * cores, so it was removed.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DockerIgnore } from "../dockerignore.js";
import { sha256Hex } from "../sha256.js";
import { readCache, StatCache, writeCache, type EntryKind } from "./stat-cache.js";

/**
 * A file or directory written this recently may change again within the file system's timestamp granularity without
 * its mtime changing: never cache it (git's "racy clean" rule).
 */
const RACY_WINDOW_MS = 2000;

export function defaultCacheDir(): string {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(base, "kubernaut-e2e", "fingerprint");
}

export interface ContextDigest {
    /** Hex SHA-256 over the kept files' listing. */
    readonly digest: string;
    /** Files and symlinks kept by `.dockerignore`. */
    readonly files: number;
    /** Bytes of those files. */
    readonly bytes: number;
    /** Files whose content had to be read (stat-cache misses). */
    readonly hashedFiles: number;
    /** Each kept file's digest line (`path\0mode\0content hash`), by path: what narrower fingerprints select from. */
    readonly entries: ReadonlyMap<string, string>;
}

/** Digests the files of `contextDir` that `ignore` keeps, using the stat cache in `cacheDir` (false: none). */
export function digestContext(
    contextDir: string,
    ignore: DockerIgnore,
    cacheDir: string | false | undefined,
): ContextDigest {
    const cacheFile =
        cacheDir === false
            ? undefined
            : path.join(cacheDir ?? defaultCacheDir(), `${sha256Hex(contextDir).slice(0, 24)}.bin`);
    const ignoreKey = sha256Hex(`${ignore.source ?? ""}\0${ignore.text}`);
    const cache = cacheFile ? readCache(cacheFile, ignoreKey) : new StatCache(ignoreKey);
    const next = new StatCache(ignoreKey, Math.max(1024, cache.size));
    const now = Date.now();

    /** Kept entries in walk order: [relPath, mode, content hash]. */
    const kept: [string, number, string][] = [];
    let bytes = 0;
    let hashedFiles = 0;
    /** One buffer reused for every file read, so a cold run allocates (and collects) nothing per file. */
    let scratch = Buffer.allocUnsafe(1 << 20);

    const listDir = (absDir: string, relDir: string): [string, EntryKind][] =>
        fs
            .readdirSync(absDir, { withFileTypes: true })
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
            .map((entry): [string, EntryKind] => {
                const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
                const ignored = ignore.ignores(rel);
                if (entry.isDirectory()) return [entry.name, ignored && !ignore.mayReinclude(rel) ? "-" : "d"];
                if (ignored) return [entry.name, "-"];
                return [entry.name, entry.isFile() ? "f" : entry.isSymbolicLink() ? "l" : "-"];
            });

    const visitFile = (abs: string, rel: string): void => {
        if (cache.has(rel)) {
            const st = fs.lstatSync(abs);
            const row = cache.lookup(rel, st);
            if (row >= 0) {
                next.copyRow(rel, cache, row);
                kept.push([rel, st.mode, cache.hexDigest(row)]);
                bytes += st.size;
                return;
            }
        }
        // open + fstat + read + close: the same system calls as a plain read, with the stat for the cache.
        const fd = fs.openSync(abs, "r");
        let st: fs.Stats;
        try {
            st = fs.fstatSync(fd);
            if (st.size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(st.size, scratch.length * 2));
            for (let offset = 0; offset < st.size;) {
                const n = fs.readSync(fd, scratch, offset, st.size - offset, offset);
                if (n === 0) throw new Error(`\`${abs}\` shrank while it was being read`);
                offset += n;
            }
        } finally {
            fs.closeSync(fd);
        }
        const hash = sha256Hex(scratch.subarray(0, st.size));
        hashedFiles++;
        bytes += st.size;
        kept.push([rel, st.mode, hash]);
        if (now - st.mtimeMs > RACY_WINDOW_MS) next.set(rel, st, hash);
    };

    const visitDir = (absDir: string, relDir: string, st: fs.Stats): void => {
        const cached = cache.dirs.get(relDir);
        const entries =
            cached && cached[0] === st.mtimeMs && cached[1] === st.ctimeMs && cached[2] === st.ino
                ? cached[3]
                : listDir(absDir, relDir);
        // A listing too fresh to trust is still stored (it indexes the files' rows) but with a stat that never matches.
        next.dirs.set(
            relDir,
            now - st.mtimeMs > RACY_WINDOW_MS ? [st.mtimeMs, st.ctimeMs, st.ino, entries] : [-1, -1, -1, entries],
        );
        for (const [name, kind] of entries) {
            if (kind === "-") continue;
            const abs = `${absDir}/${name}`;
            const rel = relDir === "" ? name : `${relDir}/${name}`;
            if (kind === "d") {
                visitDir(abs, rel, fs.lstatSync(abs));
            } else if (kind === "f") {
                visitFile(abs, rel);
            } else {
                kept.push([rel, 0o120777, `link:${fs.readlinkSync(abs)}`]);
            }
        }
    };
    visitDir(contextDir, "", fs.lstatSync(contextDir));

    // One update with the whole listing: thousands of small updates cost more than building the string.
    const lines = kept.map(([rel, mode, hash]): [string, string] => [
        rel,
        `${rel}\0${(mode & 0o170777).toString(8)}\0${hash}\n`,
    ]);
    const digest = sha256Hex(lines.map(([, line]) => line).join(""));
    if (cacheFile && (hashedFiles > 0 || cache.size !== next.size || cache.dirs.size !== next.dirs.size))
        writeCache(cacheFile, next);
    return { digest, files: kept.length, bytes, hashedFiles, entries: new Map(lines) };
}
