/**
 * Files a lane needs from outside the checkout (Tekton's release manifest, the AWX operator's rendered kustomization),
 * given as config that is either a local file or an HTTPS URL with its SHA-256. Nothing unpinned is ever fetched: a
 * download is checked against its digest and kept in `$XDG_CACHE_HOME/kubernaut-e2e/downloads/<sha256>`, so later
 * runs and air-gapped machines (copy the file there, or use `file`) need no network.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PROJECT_ROOT } from "./stack-scope.js";

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in lowercase hex");

/** `{ file, sha256? }` (relative to the project) or `{ url, sha256 }` (HTTPS). */
export const pinnedFileSchema = z.union(
    [
        z.strictObject({ file: z.string().min(1), sha256: SHA256.optional() }),
        z.strictObject({ url: z.url({ protocol: /^https$/, error: "must be an https:// URL" }), sha256: SHA256 }),
    ],
    { error: "must be `{ file: <path> }` or `{ url: <https URL>, sha256: <hex> }`" },
);

export type PinnedFile = z.infer<typeof pinnedFileSchema>;

function digest(bytes: Buffer): string {
    return crypto.createHash("sha256").update(bytes).digest("hex");
}

export function downloadCacheDir(env: NodeJS.ProcessEnv = process.env): string {
    return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "kubernaut-e2e", "downloads");
}

/**
 * The file's text, checked against its digest. `key` names the config key in errors.
 * @param fetchUrl how a URL is fetched (tests pass their own)
 */
export async function readPinnedFile(
    pinned: PinnedFile,
    key: string,
    fetchUrl: (url: string) => Promise<Buffer> = fetchBytes,
): Promise<string> {
    const where = `\`kubernaut-e2e:${key}\``;
    if ("file" in pinned) {
        const file = path.resolve(PROJECT_ROOT, pinned.file);
        if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile())
            throw new pulumi.RunError(`${where}: \`${file}\` is not a file`);
        const bytes = fs.readFileSync(file);
        if (pinned.sha256 && digest(bytes) !== pinned.sha256)
            throw new pulumi.RunError(
                `${where}: \`${file}\` has SHA-256 ${digest(bytes)}, not the configured ${pinned.sha256}`,
            );
        return bytes.toString("utf8");
    }
    const cached = path.join(downloadCacheDir(), pinned.sha256);
    if (fs.existsSync(cached) && digest(fs.readFileSync(cached)) === pinned.sha256)
        return fs.readFileSync(cached, "utf8");
    let bytes: Buffer;
    try {
        bytes = await fetchUrl(pinned.url);
    } catch (err) {
        throw new pulumi.RunError(
            `${where}: cannot download ${pinned.url} (${(err as Error).message}); without network access, download it elsewhere and set \`{ file: <path> }\`, or place it at ${cached}`,
        );
    }
    if (digest(bytes) !== pinned.sha256)
        throw new pulumi.RunError(
            `${where}: ${pinned.url} has SHA-256 ${digest(bytes)}, not the configured ${pinned.sha256}; nothing was applied`,
        );
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.writeFileSync(`${cached}.tmp`, bytes);
    fs.renameSync(`${cached}.tmp`, cached);
    return bytes.toString("utf8");
}

async function fetchBytes(url: string): Promise<Buffer> {
    const response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
}
