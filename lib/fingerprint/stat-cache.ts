/**
 * The fingerprint's stat cache, kept outside Pulumi's state: each directory's listing with its ignore decisions (valid
 * while the directory's own stat is unchanged), and each file's (size, mtime, ctime, inode) with its content digest.
 * Stored compactly because a warm run reads it every time: a JSON index plus typed arrays.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * How a directory entry is treated: `f` kept file, `l` kept symlink, `d` directory to walk, `-` left out (ignored,
 * or an excluded directory no `!` pattern can reach, or a socket/FIFO/device, which Docker does not send either).
 */
export type EntryKind = "f" | "l" | "d" | "-";
/** A directory listing with its ignore decisions, valid while the directory's own stat is unchanged. */
export type DirEntry = [mtimeMs: number, ctimeMs: number, ino: number, entries: [string, EntryKind][]];
/** How a cache file stores a listing: each kept file's entry also names its stats row, so no path list is stored. */
type StoredDirEntry = [mtimeMs: number, ctimeMs: number, ino: number, entries: [string, EntryKind, number?][]];

/**
 * The stat cache, kept compact because a warm run reads it every time: a JSON index of directories, and per file a
 * row of four numbers (size, mtimeMs, ctimeMs, inode) plus its raw 32-byte digest, stored as typed arrays.
 */
export class StatCache {
    readonly dirs = new Map<string, DirEntry>();
    private readonly rows = new Map<string, number>();
    private stats: Float64Array;
    private digests: Uint8Array;
    private count = 0;

    constructor(
        readonly ignoreKey: string,
        capacity = 1024,
    ) {
        this.stats = new Float64Array(capacity * 4);
        this.digests = new Uint8Array(capacity * 32);
    }

    /** The row of `rel` when its stat still matches, else -1. */
    lookup(rel: string, st: fs.Stats): number {
        const row = this.rows.get(rel);
        if (row === undefined) return -1;
        const s = this.stats;
        return s[row * 4] === st.size &&
            s[row * 4 + 1] === st.mtimeMs &&
            s[row * 4 + 2] === st.ctimeMs &&
            s[row * 4 + 3] === st.ino
            ? row
            : -1;
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
            [
                m,
                c,
                i,
                entries.map(([name, kind]): [string, EntryKind, number?] =>
                    kind === "f" && this.rows.has(join(rel, name))
                        ? [name, kind, this.rows.get(join(rel, name))]
                        : [name, kind],
                ),
            ],
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
        const header = JSON.parse(data.toString("utf8", 4, 4 + headerLength)) as {
            version: number;
            ignoreKey: string;
            count: number;
            dirs: [string, StoredDirEntry][];
        };
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

export function join(relDir: string, name: string): string {
    return relDir === "" ? name : `${relDir}/${name}`;
}

export function readCache(file: string, ignoreKey: string): StatCache {
    try {
        return StatCache.parse(fs.readFileSync(file), ignoreKey);
    } catch {
        return new StatCache(ignoreKey); // missing, old or corrupt: a cache only saves time
    }
}

export function writeCache(file: string, cache: StatCache): void {
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
