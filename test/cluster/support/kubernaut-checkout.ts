/**
 * A runnable Kubernaut-shaped checkout for the real-cluster suite: the test fixture's layout with Kubernaut's own
 * CRDs, migrations, DataStorage RBAC and SignalProcessing policy copied from a real checkout ({@link kubernautRoot}),
 * and Dockerfiles that package stand-in services built here (the fixture's `cmd/` programs) and the toolchain's goose
 * FROM a local base image. Nothing is fetched.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { PROJECT_ROOT } from "../../../lib/stack-scope.js";
import { kubernautSourceDir } from "../../../toolchain/actions/kubernaut-source.js";
import { toolchainLayout } from "../../../lib/toolchain/layout.js";

const FIXTURE = path.join(PROJECT_ROOT, "test", "fixtures", "kubernaut");

/**
 * The real Kubernaut checkout the suite reads: `KUBERNAUT_ROOT` when set, else the toolchain's pinned tree (the
 * `kubernaut-source` action), else `../kubernaut`; throws a one-line reason naming every place it looked.
 */
export function kubernautRoot(env: NodeJS.ProcessEnv = process.env): string {
    const candidates = env.KUBERNAUT_ROOT
        ? [path.resolve(env.KUBERNAUT_ROOT)]
        : [kubernautSourceDir(toolchainLayout(env)), path.resolve(PROJECT_ROOT, "..", "kubernaut")];
    const root = candidates.find((dir) => fs.existsSync(path.join(dir, "config", "crd", "bases")));
    if (!root) {
        throw new Error(
            `the Kubernaut scenarios need a Kubernaut checkout: set KUBERNAUT_ROOT, or run \`npm run toolchain -- build --only kubernaut-source\` with KUBERNAUT_SOURCE naming a Kubernaut Git repository (looked in ${candidates.join(", ")})`,
        );
    }
    return root;
}

const STAND_IN_DOCKERFILE = (binary: string, entrypoint: string) =>
    [
        "# A stand-in service for the real-cluster suite, built on the host and packaged on a local base.",
        "ARG BASE_IMAGE",
        "FROM ${BASE_IMAGE}",
        `COPY bin/${binary}-amd64 /usr/local/bin/${binary}`,
        `ENTRYPOINT ["/usr/local/bin/${entrypoint}"]`,
        "",
    ].join("\n");

function replaceDir(from: string, to: string, suffix: string): void {
    fs.rmSync(to, { recursive: true, force: true });
    fs.mkdirSync(to, { recursive: true });
    for (const f of fs.readdirSync(from).filter((n) => n.endsWith(suffix)))
        fs.copyFileSync(path.join(from, f), path.join(to, f));
}

/** Assembles the checkout in a new temporary directory and returns it. */
export async function runnableKubernautCheckout(real: string = kubernautRoot()): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-kubernaut-"));
    fs.cpSync(FIXTURE, dir, { recursive: true });
    replaceDir(path.join(real, "config", "crd", "bases"), path.join(dir, "config", "crd", "bases"), ".yaml");
    replaceDir(path.join(real, "migrations"), path.join(dir, "migrations"), ".sql");
    for (const f of [
        "deploy/data-storage/client-rbac-v2.yaml",
        "deploy/data-storage/service-rbac.yaml",
        "charts/kubernaut/examples/signalprocessing-policy.rego",
        "test/infrastructure/signalprocessing_e2e_hybrid.go",
    ]) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(path.join(real, f), path.join(dir, f));
    }
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin, { recursive: true });
    for (const service of ["datastorage", "signalprocessing"]) {
        // The lane always instruments SignalProcessing: its stand-in writes coverage counters as the real one does.
        const cover = service === "signalprocessing" ? ["-cover"] : [];
        await execa(
            "go",
            ["build", "-trimpath", ...cover, "-o", path.join(bin, `${service}-amd64`), `./cmd/${service}`],
            { cwd: dir, env: { CGO_ENABLED: "0", GOFLAGS: "-mod=mod", GOPROXY: "off" } },
        );
    }
    const goose = path.join(toolchainLayout().setDir, "build", "goose", "goose");
    if (!fs.existsSync(goose))
        throw new Error(`the toolchain's goose is missing (${goose}); run \`npm run toolchain -- build\``);
    fs.copyFileSync(goose, path.join(bin, "goose-amd64"));
    fs.chmodSync(path.join(bin, "goose-amd64"), 0o755);
    fs.writeFileSync(
        path.join(dir, "docker", "data-storage.Dockerfile"),
        STAND_IN_DOCKERFILE("datastorage", "datastorage"),
    );
    fs.writeFileSync(
        path.join(dir, "docker", "signalprocessing-controller.Dockerfile"),
        STAND_IN_DOCKERFILE("signalprocessing", "signalprocessing"),
    );
    fs.writeFileSync(path.join(dir, "docker", "db-migrate.Dockerfile"), STAND_IN_DOCKERFILE("goose", "goose"));
    return dir;
}
