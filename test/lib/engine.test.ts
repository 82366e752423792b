/** Which engine a binary is: by what it is, not what it is called (podman-docker installs Podman as `docker`). */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { engineNameOf, resolveEngine } from "../../lib/engine.js";
import { tempDir } from "../support/steps.js";

describe("engine detection", () => {
    it("reads podman-docker's `docker` script as Podman, so kind gets the Podman provider", () => {
        const dir = tempDir("podman-docker");
        // What Fedora's podman-docker package installs as /usr/bin/docker.
        fs.writeFileSync(
            path.join(dir, "docker"),
            '#!/bin/sh\n[ -e /etc/containers/nodocker ] || echo "Emulate Docker CLI using podman."\nexec /usr/bin/podman "$@"\n',
            { mode: 0o755 },
        );
        assert.equal(engineNameOf(path.join(dir, "docker")), "podman");
        const engine = resolveEngine({ env: { PATH: dir } });
        assert.deepEqual(engine, { name: "podman", bin: "docker" });
    });

    it("reads a `docker` symlink to podman as Podman", () => {
        const dir = tempDir("docker-link");
        fs.writeFileSync(path.join(dir, "podman"), "\x7fELF", { mode: 0o755 });
        fs.symlinkSync(path.join(dir, "podman"), path.join(dir, "docker"));
        assert.equal(resolveEngine({ requested: "docker", env: { PATH: dir } }).name, "podman");
    });

    it("leaves a real Docker client, and a wrapper script that runs Docker, as Docker", () => {
        const dir = tempDir("real-docker");
        fs.writeFileSync(path.join(dir, "docker"), "\x7fELF\x02\x01\x01 binary", { mode: 0o755 });
        assert.equal(resolveEngine({ env: { PATH: dir } }).name, "docker");
        fs.writeFileSync(path.join(dir, "wrapped"), '#!/bin/sh\nexec /usr/bin/docker "$@"\n', { mode: 0o755 });
        assert.equal(resolveEngine({ requested: "docker", bin: path.join(dir, "wrapped") }).name, "docker");
        assert.equal(engineNameOf(path.join(dir, "missing")), undefined);
    });
});
