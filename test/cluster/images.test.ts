/**
 * Stage 3 of the offline toolchain, for real: the PostgreSQL and Redis images honour the contracts of the official
 * images that Kubernaut's manifests rely on. Run with Podman directly; no cluster needed.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { freePort, requireToolchain, uniqueName, type Toolchain } from "./support/harness.js";

const POSTGRES = "localhost/kubernaut-e2e/postgres:15";
const REDIS = "localhost/kubernaut-e2e/redis:7";

async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds = 30): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        const value = await probe().catch(() => undefined);
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`${what} within ${seconds} s`);
        await new Promise((r) => setTimeout(r, 500));
    }
}

describe("the toolchain's PostgreSQL and Redis images", () => {
    let toolchain: Toolchain;
    const containers: string[] = [];
    const run = async (name: string, args: string[]) => {
        containers.push(name);
        await execa(toolchain.podman, ["run", "-d", "--name", name, ...args]);
    };
    before(async () => {
        toolchain = await requireToolchain();
    });
    after(async () => {
        if (toolchain) for (const c of containers) await execa(toolchain.podman, ["rm", "-f", c], { reject: false });
    });

    it("PostgreSQL creates the user, password and database from the environment, runs init scripts, and has uuid-ossp and pgcrypto", async () => {
        const name = uniqueName("ke2e-pg");
        const init = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-pg-init-"));
        fs.writeFileSync(
            path.join(init, "10-seed.sql"),
            "CREATE TABLE seeded (id int); INSERT INTO seeded VALUES (42);\n",
        );
        fs.chmodSync(init, 0o755);
        await run(name, [
            "-e",
            "POSTGRES_USER=slm_user",
            "-e",
            "POSTGRES_PASSWORD=s3cret",
            "-e",
            "POSTGRES_DB=action_history",
            "-e",
            "PGDATA=/var/lib/postgresql/data/pgdata",
            "-v",
            `${init}:/docker-entrypoint-initdb.d:ro,Z`,
            POSTGRES,
            "-c",
            "max_connections=200",
        ]);
        const psql = (sql: string, user = "slm_user") =>
            execa(
                toolchain.podman,
                [
                    "exec",
                    "-e",
                    "PGPASSWORD=s3cret",
                    name,
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    user,
                    "-d",
                    "action_history",
                    "-tAc",
                    sql,
                ],
                { reject: false },
            );
        await until("PostgreSQL accepts the password over TCP", async () =>
            (await psql("SELECT 1")).exitCode === 0 ? true : undefined,
        );
        assert.equal((await psql("SELECT id FROM seeded")).stdout.trim(), "42");
        assert.equal(
            (await psql("SHOW max_connections")).stdout.trim(),
            "200",
            "arguments starting with - go to postgres",
        );
        assert.equal(
            (
                await psql(
                    'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"; CREATE EXTENSION IF NOT EXISTS pgcrypto; SELECT length(gen_random_uuid()::text)',
                )
            ).stdout
                .trim()
                .split("\n")
                .pop(),
            "36",
        );
        const wrong = await execa(
            toolchain.podman,
            [
                "exec",
                "-e",
                "PGPASSWORD=wrong",
                name,
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "slm_user",
                "-d",
                "action_history",
                "-c",
                "SELECT 1",
            ],
            { reject: false },
        );
        assert.notEqual(wrong.exitCode, 0, "a wrong password is refused");
        const ready = await execa(
            toolchain.podman,
            ["exec", name, "pg_isready", "-U", "slm_user", "-d", "action_history"],
            { reject: false },
        );
        assert.equal(ready.exitCode, 0, "pg_isready, the lanes' probe, is on PATH");
    });

    it("PostgreSQL refuses to start without a password", async () => {
        const name = uniqueName("ke2e-pg-nopw");
        containers.push(name);
        const result = await execa(toolchain.podman, ["run", "--name", name, POSTGRES], {
            reject: false,
            timeout: 60_000,
        });
        assert.notEqual(result.exitCode, 0);
        assert.match(String(result.stderr), /POSTGRES_PASSWORD is not set/);
    });

    it("Redis answers clients from outside its container (no protected mode), and redis-cli ping works inside", async () => {
        const name = uniqueName("ke2e-redis");
        const port = await freePort();
        await run(name, ["-p", `127.0.0.1:${port}:6379`, REDIS]);
        const reply = await until(
            "Redis answers PING on the published port",
            () =>
                new Promise<string | undefined>((resolve) => {
                    const socket = net.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
                    socket.once("data", (d) => {
                        resolve(d.toString());
                        socket.destroy();
                    });
                    socket.once("error", () => resolve(undefined));
                }),
        );
        assert.equal(reply.trim(), "+PONG");
        assert.equal(
            String((await execa(toolchain.podman, ["exec", name, "redis-cli", "ping"])).stdout).trim(),
            "PONG",
        );
    });
});
