/**
 * Content fingerprint of an image build: the Dockerfile, target, build args and every file of the context that
 * `.dockerignore` keeps (path, mode, content). Two builds with the same fingerprint produce the same image, so the
 * fingerprint is the tag.
 *
 * Speed matters because the stack program computes it on every `up` and `preview`, and system calls are the cost:
 * - excluded directories are not entered unless a `!` pattern could re-include something inside them;
 * - a stat cache kept outside the Pulumi state maps each file's (size, mtime, ctime, inode) to its content hash, and
 *   each directory's stat to its listing and ignore decisions, so a warm run makes one `lstat` per kept file and
 *   walked directory and nothing else;
 * - a file that must be read costs the system calls of a plain read (its stat comes from the open descriptor), and
 *   large amounts are hashed on a worker thread while the next files are read;
 * - the walk is synchronous: for thousands of small calls it beats the promise API's per-call overhead.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DockerIgnore } from "./dockerignore.js";
import { HashPool, sha256Hex } from "./hash-pool.js";

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

/**
 * How a directory entry is treated: `f` kept file, `l` kept symlink, `d` directory to walk, `-` left out (ignored,
 * or an excluded directory no `!` pattern can reach, or a socket/FIFO/device, which Docker does not send either).
 */
type EntryKind = "f" | "l" | "d" | "-";
/** A directory listing with its ignore decisions, valid while the directory's own stat is unchanged. */
type DirEntry = [mtimeMs: number, ctimeMs: number, ino: number, entries: [string, EntryKind][]];
/** How a cache file stores a listing: each kept file's entry also names its stats row, so no path list is stored. */
type StoredDirEntry = [mtimeMs: number, ctimeMs: number, ino: number, entries: [string, EntryKind, number?][]];

/**
 * The stat cache, kept compact because a warm run reads it every time: a JSON index of directories, and per file a
 * row of four numbers (size, mtimeMs, ctimeMs, inode) plus its raw 32-byte digest, stored as typed arrays.
 */
class StatCache {
    readonly dirs = new Map<string, DirEntry>();
    private readonly rows = new Map<string, number>();
    private stats: Float64Array;
    private digests: Uint8Array;
    private count = 0;

    constructor(readonly ignoreKey: string, capacity = 1024) {
        this.stats = new Float64Array(capacity * 4);
        this.digests = new Uint8Array(capacity * 32);
    }

    /** The row of `rel` when its stat still matches, else -1. */
    lookup(rel: string, st: fs.Stats): number {
        const row = this.rows.get(rel);
        if (row === undefined) return -1;
        const s = this.stats;
        return s[row * 4] === st.size && s[row * 4 + 1] === st.mtimeMs && s[row * 4 + 2] === st.ctimeMs && s[row * 4 + 3] === st.ino ? row : -1;
    }

    hexDigest(row: number): string {
        return Buffer.from(this.digests.buffer, this.digests.byteOffset + row * 32, 32).toString("hex");
    }

    /** Copies `row` of `other` to `rel` here, without decoding it. */
    copyRow(rel: string, other: StatCache, row: number): void {
        const target = this.rowFor(rel);
        this.stats.set(other.stats.subarray(row * 4, row * 4 + 4), target * 4);
        this.digests.set(other.digests.subarray(row * 32, row * 32 + 32), target * 32);
    }

    has(rel: string): boolean {
        return this.rows.has(rel);
    }

    set(rel: string, st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }, hexDigest: string): void {
        const row = this.rowFor(rel);
        const s = this.stats;
        s[row * 4] = st.size;
        s[row * 4 + 1] = st.mtimeMs;
        s[row * 4 + 2] = st.ctimeMs;
        s[row * 4 + 3] = st.ino;
        this.digests.set(Buffer.from(hexDigest, "hex"), row * 32);
    }

    private rowFor(rel: string): number {
        let row = this.rows.get(rel);
        if (row === undefined) {
            row = this.count++;
            this.rows.set(rel, row);
            if (row * 4 >= this.stats.length) this.grow();
        }
        return row;
    }

    get size(): number {
        return this.count;
    }

    private grow(): void {
        const stats = new Float64Array(Math.max(4096, this.stats.length * 2));
        stats.set(this.stats);
        const digests = new Uint8Array(stats.length * 8);
        digests.set(this.digests);
        this.stats = stats;
        this.digests = digests;
    }

    /** Layout: u32 header length, JSON header, padding to 8, stats (f64 × 4 × n), digests (32 × n). */
    serialize(): Buffer {
        const dirs: [string, StoredDirEntry][] = [...this.dirs].map(([rel, [m, c, i, entries]]) => [
            rel,
            [m, c, i, entries.map(([name, kind]): [string, EntryKind, number?] => (kind === "f" && this.rows.has(join(rel, name)) ? [name, kind, this.rows.get(join(rel, name))] : [name, kind]))],
        ]);
        const header = Buffer.from(JSON.stringify({ version: 4, ignoreKey: this.ignoreKey, count: this.count, dirs }));
        const offset = Math.ceil((4 + header.length) / 8) * 8;
        const out = Buffer.alloc(offset + this.count * 32 + this.count * 32);
        out.writeUInt32LE(header.length, 0);
        header.copy(out, 4);
        Buffer.from(this.stats.buffer, 0, this.count * 32).copy(out, offset);
        Buffer.from(this.digests.buffer, 0, this.count * 32).copy(out, offset + this.count * 32);
        return out;
    }

    static parse(data: Buffer, ignoreKey: string): StatCache {
        const headerLength = data.readUInt32LE(0);
        const header = JSON.parse(data.toString("utf8", 4, 4 + headerLength)) as { version: number; ignoreKey: string; count: number; dirs: [string, StoredDirEntry][] };
        if (header.version !== 4) throw new Error("unknown cache version");
        const cache = new StatCache(ignoreKey, 0);
        const n = header.count;
        const offset = Math.ceil((4 + headerLength) / 8) * 8;
        const aligned = new Uint8Array(n * 64);
        aligned.set(data.subarray(offset, offset + n * 64));
        cache.stats = new Float64Array(aligned.buffer, 0, n * 4);
        cache.digests = new Uint8Array(aligned.buffer, n * 32, n * 32);
        cache.count = n;
        for (const [rel, [m, c, i, entries]] of header.dirs) {
            for (const [name, , row] of entries) if (row !== undefined) cache.rows.set(join(rel, name), row);
            // Directory decisions depend on the ignore rules; file hashes do not.
            if (header.ignoreKey === ignoreKey) cache.dirs.set(rel, [m, c, i, entries as [string, EntryKind][]]);
        }
        return cache;
    }
}

function join(relDir: string, name: string): string {
    return relDir === "" ? name : `${relDir}/${name}`;
}

/**
 * A file or directory written this recently may change again within the file system's timestamp granularity without
 * its mtime changing: never cache it (git's "racy clean" rule).
 */
const RACY_WINDOW_MS = 2000;
/** Below this many bytes to hash, a worker thread costs more than it saves. */
const POOL_THRESHOLD_BYTES = 8 << 20;
const POOL_CAPACITY = 1 << 18;

export function defaultCacheDir(): string {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    return path.join(base, "kubernaut-e2e", "fingerprint");
}

export function fingerprintBuild(args: FingerprintArgs): Fingerprint {
    const contextDir = path.resolve(args.contextDir);
    const dockerfile = path.resolve(args.dockerfile);
    const ignore = DockerIgnore.forBuild(contextDir, dockerfile);
    const cacheFile = args.cacheDir === false ? undefined : path.join(args.cacheDir ?? defaultCacheDir(), `${sha256Hex(contextDir).slice(0, 24)}.bin`);
    const ignoreKey = sha256Hex(`${ignore.source ?? ""}\0${ignore.text}`);
    const cache = cacheFile ? readCache(cacheFile, ignoreKey) : new StatCache(ignoreKey);
    const next = new StatCache(ignoreKey, Math.max(1024, cache.size));
    /** Files whose digest comes from the hash pool: cached once the pool has finished. */
    const pendingCache: [string, fs.Stats, number][] = [];
    const now = Date.now();

    /** Kept entries in walk order: [relPath, mode, content hash or pending hash-pool slot]. */
    const kept: [string, number, string | number][] = [];
    let bytes = 0;
    let hashedFiles = 0;
    let inlineHashedBytes = 0;
    let pool: HashPool | undefined;
    let slots = 0;

    const hashContent = (buffer: Buffer): string | number => {
        if (!pool && inlineHashedBytes + buffer.byteLength > POOL_THRESHOLD_BYTES) pool = new HashPool(POOL_CAPACITY);
        if (pool && slots < POOL_CAPACITY) {
            pool.add(slots, buffer);
            return slots++;
        }
        inlineHashedBytes += buffer.byteLength;
        return sha256Hex(buffer);
    };

    const listDir = (absDir: string, relDir: string): [string, EntryKind][] =>
        fs.readdirSync(absDir, { withFileTypes: true })
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
        let buffer: Buffer;
        try {
            st = fs.fstatSync(fd);
            buffer = Buffer.allocUnsafeSlow(st.size);
            for (let offset = 0; offset < st.size; ) {
                const n = fs.readSync(fd, buffer, offset, st.size - offset, offset);
                if (n === 0) throw new Error(`\`${abs}\` shrank while it was being read`);
                offset += n;
            }
        } finally {
            fs.closeSync(fd);
        }
        const hash = hashContent(buffer);
        hashedFiles++;
        bytes += st.size;
        kept.push([rel, st.mode, hash]);
        if (now - st.mtimeMs > RACY_WINDOW_MS) {
            if (typeof hash === "string") next.set(rel, st, hash);
            else pendingCache.push([rel, st, hash]);
        }
    };

    const visitDir = (absDir: string, relDir: string, st: fs.Stats): void => {
        const cached = cache.dirs.get(relDir);
        const entries = cached && cached[0] === st.mtimeMs && cached[1] === st.ctimeMs && cached[2] === st.ino ? cached[3] : listDir(absDir, relDir);
        // A listing too fresh to trust is still stored (it indexes the files' rows) but with a stat that never matches.
        next.dirs.set(relDir, now - st.mtimeMs > RACY_WINDOW_MS ? [st.mtimeMs, st.ctimeMs, st.ino, entries] : [-1, -1, -1, entries]);
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

    const pooled = pool?.finish();
    for (const [rel, st, slot] of pendingCache) next.set(rel, st, pooled!.get(slot)!);
    const digest = crypto.createHash("sha256");
    digest.update(`${SCHEME}\n`);
    digest.update(`dockerfile\0${sha256Hex(fs.readFileSync(dockerfile))}\n`);
    digest.update(`target\0${args.target ?? ""}\n`);
    for (const [key, value] of Object.entries(args.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        digest.update(`arg\0${key}\0${value}\n`);
    }
    // One update with the whole listing: thousands of small updates cost more than building the string.
    digest.update(kept.map(([rel, mode, hash]) => `${rel}\0${(mode & 0o170777).toString(8)}\0${typeof hash === "string" ? hash : pooled!.get(hash)!}\n`).join(""));

    if (cacheFile && (hashedFiles > 0 || cache.size !== next.size || cache.dirs.size !== next.dirs.size)) writeCache(cacheFile, next);
    return { fingerprint: digest.digest("hex"), files: kept.length, bytes, hashedFiles };
}

function readCache(file: string, ignoreKey: string): StatCache {
    try {
        return StatCache.parse(fs.readFileSync(file), ignoreKey);
    } catch {
        return new StatCache(ignoreKey); // missing, old or corrupt: a cache only saves time
    }
}

function writeCache(file: string, cache: StatCache): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // Write-then-rename so two programs fingerprinting at once never read a half-written cache.
        const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
        fs.writeFileSync(tmp, cache.serialize());
        fs.renameSync(tmp, file);
    } catch {
        // A read-only or full cache directory only costs speed.
    }
}
