/** What `npm run setup` checks and changes on a machine, against fake machines in temporary folders. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { diagnose } from "../../cli/doctor.js";
import { kubernautDependents, run, startDockerd } from "../../cli/setup.js";
import { describeMissing, hostSettings, missingPrerequisites, type HostFacts } from "../../toolchain/prerequisites.js";
import { tempDir, withoutToolchain } from "../support/steps.js";

/** A cgroup tree as a hybrid host mounts it: v1 controllers, and the v2 hierarchy holding `controllers`. */
function hybridHost(controllers: string): HostFacts {
    const cgroupRoot = tempDir("cgroup");
    fs.mkdirSync(path.join(cgroupRoot, "memory"));
    fs.mkdirSync(path.join(cgroupRoot, "unified"));
    fs.writeFileSync(path.join(cgroupRoot, "unified", "cgroup.controllers"), controllers);
    return {
        cgroupRoot,
        hardNofile: 524_288,
        modulesDir: path.join(tempDir("lib"), "modules"),
        confDir: path.join(tempDir("etc"), "containers.conf.d"),
    };
}

const needed = (facts: HostFacts) => Object.fromEntries(hostSettings(facts).map((s) => [s.name, s.needed]));

describe("setup prerequisites", () => {
    it("names each missing program with its Debian package, the tests' packages only when asked", () => {
        const empty = { PATH: tempDir("empty-path") };
        const toolchain = describeMissing(missingPrerequisites(empty));
        assert.ok(toolchain.includes("debootstrap (install debootstrap)"));
        assert.ok(toolchain.includes("runc (install runc)"));
        assert.ok(!toolchain.some((m) => m.startsWith("dockerd")), "the tests' packages are not the toolchain's");
        const all = missingPrerequisites(empty, ["toolchain", "tests"]).map((p) => p.debian);
        assert.ok(all.includes("docker.io") && all.includes("docker-registry"));
    });

    it("needs runc on a hybrid host whose v2 hierarchy holds controllers, /lib/modules, and a lower open-files limit", () => {
        const facts = hybridHost("hugetlb\n");
        const before = needed(facts);
        assert.match(before["Podman runtime"]!, /crun refuses/);
        assert.match(before["kernel modules directory"]!, /kind binds it/);
        assert.match(before["Podman open-files limit"]!, /524288, below Podman's default/);
        for (const setting of hostSettings(facts)) setting.apply();
        assert.deepEqual(
            Object.values(needed(facts)),
            [undefined, undefined, undefined],
            "applied settings are not needed again",
        );
        const conf = fs
            .readdirSync(facts.confDir)
            .map((f) => fs.readFileSync(path.join(facts.confDir, f), "utf8"))
            .join("\n");
        assert.match(conf, /runtime = "runc"/);
        assert.match(conf, /default_ulimits = \["nofile=524288:524288", "nproc=4096:4096"\]/);
        assert.ok(fs.statSync(facts.modulesDir).isDirectory());
    });

    it("leaves a host alone where crun runs (no v2 controllers) and a drop-in of its own already sets the limit", () => {
        const facts = hybridHost("");
        fs.mkdirSync(facts.modulesDir, { recursive: true });
        fs.mkdirSync(facts.confDir, { recursive: true });
        fs.writeFileSync(
            path.join(facts.confDir, "90-ci.conf"),
            '[containers]\ndefault_ulimits = ["nofile=1024:1024"]\n',
        );
        assert.deepEqual(Object.values(needed(facts)), [undefined, undefined, undefined]);
    });

    it("doctor reports the runtime a hybrid host needs, and the fix", async () => {
        const checks = await diagnose(
            undefined,
            { PATH: "/usr/bin:/bin", ...withoutToolchain() },
            hybridHost("hugetlb"),
        );
        const podman = checks.find((c) => c.name === "podman");
        assert.equal(podman?.verdict, "FAIL");
        assert.match(podman.fix!, /npm run setup \(as root\) writes .*90-kubernaut-e2e-runtime\.conf/);
    });

    it("builds without Kubernaut's tree only what does not need it", () => {
        const dependents = kubernautDependents();
        assert.ok(dependents.has("kubernaut-source"));
        assert.ok(dependents.has("builder-image"), "the builder's module cache comes from the tree's go.mod");
        assert.ok(!dependents.has("base-image") && !dependents.has("node-image") && !dependents.has("pulumi-cli"));
        // kind and kubectl reach bin/ on a machine without Kubernaut (Ginkgo, at Kubernaut's version, does not).
        assert.ok(!dependents.has("host-tools") && dependents.has("suite-tools"));
    });

    /** A PATH whose `docker info` fails until the fake `dockerd` has run. */
    function fakeDocker(): { env: NodeJS.ProcessEnv; started: string } {
        const bin = tempDir("docker-bin");
        const started = path.join(bin, "started");
        fs.writeFileSync(path.join(bin, "docker"), `#!/bin/sh\ntest -f ${started}\n`, { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "dockerd"), `#!/bin/sh\ntouch ${started}\n`, { mode: 0o755 });
        return { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, started };
    }

    it("starts dockerd when Docker does not answer, and waits until it does", async () => {
        const { env, started } = fakeDocker();
        const lines: string[] = [];
        const logFile = path.join(tempDir("dockerd-log"), "dockerd.log");
        const io = { out: () => undefined, log: (l: string) => lines.push(l), env };
        assert.equal(await startDockerd(io, { check: false, logFile }), true);
        assert.ok(fs.existsSync(started), "dockerd was started");
        assert.deepEqual(lines, [`setup: Docker's daemon does not answer; starting dockerd (log: ${logFile})`]);
        lines.length = 0;
        assert.equal(await startDockerd(io, { check: false, logFile }), true);
        assert.deepEqual(lines, [], "a daemon that answers is left alone");
    });

    it("only says so under --check, and fails naming the log when dockerd never answers", async () => {
        const { env, started } = fakeDocker();
        const lines: string[] = [];
        const io = { out: () => undefined, log: (l: string) => lines.push(l), env };
        assert.equal(await startDockerd(io, { check: true }), false);
        assert.ok(!fs.existsSync(started));
        assert.deepEqual(lines, ["setup: Docker's daemon does not answer"]);
        fs.writeFileSync(path.join(path.dirname(started), "dockerd"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
        lines.length = 0;
        const logFile = path.join(tempDir("dockerd-log"), "dockerd.log");
        assert.equal(await startDockerd(io, { check: false, logFile, waitSeconds: 1 }), false);
        assert.match(lines.at(-1)!, new RegExp(`dockerd did not answer within 1 s; see ${logFile}`));
    });

    it("takes no positional arguments", async () => {
        await assert.rejects(
            () => run(["extra"], { out: () => undefined, log: () => undefined, env: process.env }),
            /setup: too many arguments/,
        );
    });
});
