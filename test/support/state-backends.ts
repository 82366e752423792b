/**
 * Pulumi DIY state backends a team shares, run for real on this host: Debian's PostgreSQL (`postgres://`) and
 * s3rver, an S3-compatible server (`s3://`). Each reports whether a stack lock is held, read from the store itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execa } from "execa";
import S3rver from "s3rver";
import { freePort } from "./ports.js";

export interface StateBackend {
    readonly name: "postgres" | "s3";
    /** `PULUMI_BACKEND_URL`. */
    readonly url: string;
    /** What a CLI needs besides the URL (credentials). */
    readonly env: Record<string, string>;
    /** Whether some stack's lock is held in the store right now. */
    lockHeld(): Promise<boolean>;
    stop(): Promise<void>;
}

/** Debian's PostgreSQL server binaries (the `postgresql` package). */
export function postgresBinDir(): string {
    const root = "/usr/lib/postgresql";
    const versions = fs.existsSync(root)
        ? fs
              .readdirSync(root)
              .filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
              .sort()
        : [];
    if (!versions.length) throw new Error(`no PostgreSQL server under ${root}: apt-get install postgresql`);
    return path.join(root, versions[versions.length - 1], "bin");
}

/** A throwaway PostgreSQL cluster on a free loopback port, trust authentication, database `pulumi`. */
export async function startPostgresBackend(): Promise<StateBackend> {
    const bin = postgresBinDir();
    const port = await freePort();
    // Under /var/tmp, not the test's private TMPDIR: the server runs as `postgres`, which must reach its directory.
    const dir = fs.mkdtempSync("/var/tmp/ke2e-pg-");
    fs.chmodSync(dir, 0o755);
    await execa("chown", ["postgres:postgres", dir]);
    const asPostgres = (file: string, args: string[]) =>
        execa("runuser", ["-u", "postgres", "--", path.join(bin, file), ...args], { cwd: dir });
    await asPostgres("initdb", ["-D", path.join(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync"]);
    await asPostgres("pg_ctl", [
        "-D",
        path.join(dir, "data"),
        "-l",
        path.join(dir, "log"),
        "-w",
        "start",
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    ]);
    const psql = (sql: string) =>
        execa(
            path.join(bin, "psql"),
            ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "pulumi", "-tAc", sql],
            { reject: false },
        );
    await execa(path.join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "pulumi"]);
    return {
        name: "postgres",
        url: `postgres://postgres@127.0.0.1:${port}/pulumi?sslmode=disable`,
        env: {},
        async lockHeld() {
            // Keys carry the URL path as a prefix (`pulumi/.pulumi/locks/…`).
            const result = await psql("SELECT count(*) FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%'");
            return result.exitCode === 0 && Number(String(result.stdout).trim()) > 0;
        },
        async stop() {
            await asPostgres("pg_ctl", ["-D", path.join(dir, "data"), "-m", "fast", "-w", "stop"]).catch(
                () => undefined,
            );
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

/** s3rver on a free loopback port with one bucket, objects kept in a temporary directory. */
export async function startS3Backend(): Promise<StateBackend> {
    const dir = fs.mkdtempSync("/var/tmp/ke2e-s3-");
    const bucket = "pulumi-state";
    const server = new S3rver({
        port: await freePort(),
        address: "127.0.0.1",
        silent: true,
        directory: dir,
        configureBuckets: [{ name: bucket, configs: [] }],
    });
    const { port } = await server.run();
    const locks = path.join(dir, bucket, ".pulumi", "locks");
    const anyFile = (d: string): boolean =>
        fs.existsSync(d) &&
        fs
            .readdirSync(d, { withFileTypes: true })
            .some((e) => (e.isDirectory() ? anyFile(path.join(d, e.name)) : true));
    return {
        name: "s3",
        url: `s3://${bucket}?endpoint=http://127.0.0.1:${port}&use_path_style=true&region=us-east-1`,
        // s3rver's fixed development credentials.
        env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
        async lockHeld() {
            return anyFile(locks);
        },
        async stop() {
            await server.close();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
