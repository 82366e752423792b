import * as crypto from "node:crypto";

/** Hex SHA-256, the digest every fingerprint and cache in this project uses. */
export function sha256Hex(data: string | Uint8Array): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}
