/**
 * What a Debian machine needs before the toolchain builds and a stack comes up: programs from Debian's packages, and
 * three host settings kind nodes need under Podman. `npm run setup` installs and applies them (it runs as root on
 * these machines); `npm run doctor` and `toolchain build` name what is missing. Every check reads the machine and
 * changes nothing; each fix says what it changes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findOnPath } from "../lib/engine.js";

/** A program (or file) the build or the tests run, and the Debian package that has it. */
export interface Prerequisite {
    readonly program: string;
    readonly debian: string;
    /** A file that shows the package is there, for packages that install no program. */
    readonly file?: string;
    /** What needs it. */
    readonly for: "toolchain" | "tests";
}

export const PREREQUISITES: readonly Prerequisite[] = [
    { program: "gcc", debian: "gcc", for: "toolchain" },
    { program: "strip", debian: "binutils", for: "toolchain" },
    { program: "podman", debian: "podman", for: "toolchain" },
    { program: "runc", debian: "runc", for: "toolchain" },
    { program: "debootstrap", debian: "debootstrap", for: "toolchain" },
    { program: "apt-get", debian: "apt", for: "toolchain" },
    { program: "dpkg-deb", debian: "dpkg", for: "toolchain" },
    { program: "tar", debian: "tar", for: "toolchain" },
    { program: "git", debian: "git", for: "toolchain" },
    { program: "cp", debian: "coreutils", for: "toolchain" },
    { program: "libseccomp headers", debian: "libseccomp-dev", file: "/usr/include/seccomp.h", for: "toolchain" },
    { program: "static libc", debian: "libc6-dev", file: "/usr/lib/x86_64-linux-gnu/libc.a", for: "toolchain" },
    // `npm test` builds with both engines, FROM Debian's static busybox, and pushes to Debian's registry.
    { program: "dockerd", debian: "docker.io", for: "tests" },
    { program: "busybox", debian: "busybox-static", file: "/bin/busybox", for: "tests" },
    { program: "docker-registry", debian: "docker-registry", for: "tests" },
];

/**
 * Go is not taken from Debian (bookworm's is 1.19): the builder stand-in needs the version Kubernaut's go.mod asks for.
 */
export const GO_HINT = "Go 1.26 from https://go.dev/dl/ (Debian's golang is too old for Kubernaut's go.mod)";

export function missingPrerequisites(
    env: NodeJS.ProcessEnv = process.env,
    wanted: ReadonlyArray<Prerequisite["for"]> = ["toolchain"],
): Prerequisite[] {
    return PREREQUISITES.filter(
        (p) => wanted.includes(p.for) && (p.file ? !fs.existsSync(p.file) : !findOnPath(p.program, env)),
    );
}

/** `program (install package)` for each, as `toolchain build` names them. */
export function describeMissing(missing: readonly Prerequisite[]): string[] {
    return missing.map((p) => `${p.program} (install ${p.debian})`);
}

/** A change to the host that kind nodes under Podman need here, or nothing. */
export interface HostSetting {
    readonly name: string;
    /** Why the machine needs it, when it does; undefined when it is already right. */
    readonly needed: string | undefined;
    /** The file written or directory made, for the user to see. */
    readonly path: string;
    apply(): void;
}

/** Where Podman reads drop-ins (`containers.conf.d`), and where ours go. */
export const CONTAINERS_CONF_D = "/etc/containers/containers.conf.d";

/** Podman's default open-files limit for containers, which a sandbox's hard limit may be below. */
const PODMAN_DEFAULT_NOFILE = 1_048_576;

export interface HostFacts {
    /** `/sys/fs/cgroup` (tests point it elsewhere). */
    readonly cgroupRoot: string;
    /** The hard limit on open files of this process (`ulimit -Hn`). */
    readonly hardNofile: number;
    readonly modulesDir: string;
    readonly confDir: string;
}

/**
 * The host settings, checked against `facts`:
 *
 * - `/lib/modules`: kind binds it into its nodes, and some VMs have none;
 * - Podman's runtime: crun refuses a hybrid cgroup host whose v2 hierarchy holds controllers ("cgroups in hybrid mode
 *   not supported"), where runc runs;
 * - Podman's open-files limit: its default is above what some sandboxes allow, which fails every container start.
 */
export function hostSettings(facts: HostFacts): HostSetting[] {
    const runtimeFile = path.join(facts.confDir, "90-kubernaut-e2e-runtime.conf");
    const ulimitFile = path.join(facts.confDir, "90-kubernaut-e2e-ulimits.conf");
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
    };
    // A drop-in of the machine's own (or `.ci/run`'s) that already sets the key counts.
    const dropInSets = (key: string) =>
        fs.existsSync(facts.confDir) &&
        fs
            .readdirSync(facts.confDir)
            .some(
                (f) =>
                    f.endsWith(".conf") &&
                    new RegExp(`^\\s*${key}\\s*=`, "m").test(fs.readFileSync(path.join(facts.confDir, f), "utf8")),
            );
    const hybridWithV2Controllers = (() => {
        const v1 = fs.existsSync(path.join(facts.cgroupRoot, "memory"));
        const unified = path.join(facts.cgroupRoot, "unified", "cgroup.controllers");
        return v1 && fs.existsSync(unified) && fs.readFileSync(unified, "utf8").trim() !== "";
    })();
    return [
        {
            name: "kernel modules directory",
            path: facts.modulesDir,
            needed: fs.existsSync(facts.modulesDir)
                ? undefined
                : `${facts.modulesDir} is missing; kind binds it into its nodes`,
            apply: () => fs.mkdirSync(facts.modulesDir, { recursive: true }),
        },
        {
            name: "Podman runtime",
            path: runtimeFile,
            needed:
                hybridWithV2Controllers && !dropInSets("runtime")
                    ? "cgroups are hybrid with controllers in the v2 hierarchy, which crun refuses; runc runs there"
                    : undefined,
            apply: () =>
                write(
                    runtimeFile,
                    '# Written by kubernaut-e2e\'s `npm run setup`: crun refuses hybrid cgroups with v2 controllers.\n[engine]\nruntime = "runc"\n',
                ),
        },
        {
            name: "Podman open-files limit",
            path: ulimitFile,
            needed:
                facts.hardNofile < PODMAN_DEFAULT_NOFILE && !dropInSets("default_ulimits")
                    ? `the hard open-files limit is ${facts.hardNofile}, below Podman's default of ${PODMAN_DEFAULT_NOFILE} for containers`
                    : undefined,
            apply: () =>
                write(
                    ulimitFile,
                    [
                        "# Written by kubernaut-e2e's `npm run setup`: Podman's default open-files limit is above this host's hard limit.",
                        "[containers]",
                        `default_ulimits = ["nofile=${facts.hardNofile}:${facts.hardNofile}", "nproc=4096:4096"]`,
                        "",
                    ].join("\n"),
                ),
        },
    ];
}
