/**
 * Debian's `docker-registry` (the CNCF distribution registry) on a free loopback port, with its storage in a
 * temporary directory: the real registry the registry-delivery tests push to. `.ci/run` installs it; a missing one
 * fails the tests that need it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa, type ResultPromise } from "execa";
import { freePort } from "./ports.js";

export const REGISTRY_BIN = process.env.KUBERNAUT_E2E_REGISTRY ?? "/usr/bin/docker-registry";

export interface RunningRegistry {
    /** `127.0.0.1:<port>`. */
    readonly host: string;
    readonly storage: string;
    stop(): Promise<void>;
}

/** Starts a registry listening on `listen` (default loopback) and waits until `/v2/` answers. */
export async function startRegistry(listen = "127.0.0.1"): Promise<RunningRegistry> {
    if (!fs.existsSync(REGISTRY_BIN))
        throw new Error(`${REGISTRY_BIN} is missing: apt-get install docker-registry (.ci/run does)`);
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-registry-"));
    const storage = path.join(dir, "storage");
    const config = path.join(dir, "config.yml");
    fs.writeFileSync(
        config,
        [
            "version: 0.1",
            "log: { level: warn }",
            `storage: { filesystem: { rootdirectory: ${JSON.stringify(storage)} }, delete: { enabled: true } }`,
            `http: { addr: "${listen}:${port}" }`,
            "",
        ].join("\n"),
    );
    const child: ResultPromise = execa(REGISTRY_BIN, ["serve", config], {
        reject: false,
        stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const host = `127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
        try {
            const res = await fetch(`http://${host}/v2/`);
            if (res.status === 200) break;
        } catch {
            // not listening yet
        }
        if (i > 100 || child.exitCode !== null) {
            child.kill();
            throw new Error(`docker-registry did not start on ${host}:\n${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return {
        host,
        storage,
        async stop() {
            child.kill("SIGTERM");
            await child;
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** The tags the registry has for `name`. */
export async function registryTags(host: string, name: string): Promise<string[]> {
    const res = await fetch(`http://${host}/v2/${name}/tags/list`);
    if (res.status === 404) return [];
    return ((await res.json()) as { tags?: string[] }).tags ?? [];
}
