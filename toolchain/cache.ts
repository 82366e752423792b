/**
 * The toolchain build's records: each action's completion in `done/<action>.json` (so an interrupted build resumes
 * after the last finished action), the digest of an action's input files, and sizes for `status`.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ToolchainLayout } from "../lib/toolchain/layout.js";

export interface DoneMarker {
    readonly action: string;
    readonly revision: number;
    /** Digest of the action's input files when it ran. */
    readonly inputsDigest?: string;
    readonly seconds: number;
    readonly finishedAt: string;
    /** Milliseconds since the epoch, strictly increasing within a build: orders an action after what it needs. */
    readonly stamp: number;
}

let lastStamp = 0;

/** A timestamp later than every earlier one of this process. */
export function nextStamp(): number {
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    return lastStamp;
}

export function readDone(layout: ToolchainLayout, action: string): DoneMarker | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(layout.doneDir, `${action}.json`), "utf8")) as DoneMarker;
    } catch {
        return undefined;
    }
}

export function writeDone(layout: ToolchainLayout, marker: DoneMarker): void {
    fs.mkdirSync(layout.doneDir, { recursive: true });
    fs.writeFileSync(path.join(layout.doneDir, `${marker.action}.json`), `${JSON.stringify(marker, null, 2)}\n`);
}

export function clearDone(layout: ToolchainLayout, action: string): void {
    fs.rmSync(path.join(layout.doneDir, `${action}.json`), { force: true });
}

/** SHA-256 over the paths and contents of `files` (files or directories, relative to `root`), in sorted order. */
export function inputsDigest(root: string, files: readonly string[]): string {
    const hash = crypto.createHash("sha256");
    const add = (rel: string) => {
        const full = path.join(root, rel);
        const stat = fs.statSync(full);
        if (stat.isDirectory()) {
            for (const entry of fs.readdirSync(full).sort()) add(path.join(rel, entry));
        } else {
            hash.update(`${rel}\0${stat.mode & 0o111 ? "x" : "-"}\0`)
                .update(fs.readFileSync(full))
                .update("\0");
        }
    };
    for (const f of [...files].sort()) add(f);
    return hash.digest("hex");
}

/** Bytes under `dir` (files only, symlinks not followed); 0 when it does not exist. */
export function directorySize(dir: string): number {
    let total = 0;
    const walk = (d: string) => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, entry.name);
            if (entry.isDirectory()) walk(p);
            else if (entry.isFile()) total += fs.statSync(p).size;
        }
    };
    if (fs.existsSync(dir)) walk(dir);
    return total;
}
