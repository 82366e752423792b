/**
 * Kubernaut's own E2E setup of a lane (its Go code in `test/infrastructure/`), runnable on a machine with no registry:
 * a copy of the checkout gets a small change gated on environment variables, so that with none of them set it is
 * Kubernaut's setup unchanged, and a setup-only test that calls the lane's setup function and nothing else (no spec,
 * no teardown), printing every line with a timestamp. `bench:versus` times it against our `up`.
 *
 * The change: the stand-ins for its Dockerfiles' digest-pinned BUILDER_IMAGE/BASE_IMAGE, kind's node image, no kind
 * version check (the toolchain's kind is v0.30, its check wants v0.32 for a node image we do not use), and PostgreSQL
 * and Redis loaded from Podman's store (the node cannot pull them) — the way Kubernaut's gateway setup already does.
 */
import type { SuiteEdit } from "../handoff/edits.js";
import type { TestBinaryInputs } from "../handoff/build.js";

const INFRA = "../../infrastructure";

/** The env-gated edits, relative to a suite's package directory (each is `test/e2e/<lane>/`). */
export const OFFLINE_SETUP_EDITS: readonly SuiteEdit[] = [
    {
        // Its build code never passes BUILDER_IMAGE/BASE_IMAGE, which its Dockerfiles take.
        file: `${INFRA}/e2e_images.go`,
        anchor:
            '\tbuildArgs := []string{"build", "-t", localImageName, "--no-cache",\n' +
            '\t\t"--build-arg", fmt.Sprintf("GOARCH=%s", runtime.GOARCH),\n\t}\n',
        replacement:
            '\tbuildArgs := []string{"build", "-t", localImageName, "--no-cache",\n' +
            '\t\t"--build-arg", fmt.Sprintf("GOARCH=%s", runtime.GOARCH),\n\t}\n' +
            '\tif v := os.Getenv("E2E_BUILDER_IMAGE"); v != "" {\n' +
            '\t\tbuildArgs = append(buildArgs, "--build-arg", "BUILDER_IMAGE="+v)\n\t}\n' +
            '\tif v := os.Getenv("E2E_BASE_IMAGE"); v != "" {\n' +
            '\t\tbuildArgs = append(buildArgs, "--build-arg", "BASE_IMAGE="+v)\n\t}\n',
    },
    {
        // Gateway's preload pulls first: with no registry, use the copy in Podman's store.
        file: `${INFRA}/e2e_images.go`,
        anchor:
            '\tpullCmd := exec.CommandContext(ctx, "podman", "pull", "--quiet", imageName)\n' +
            "\tpullCmd.Stdout = writer\n\tpullCmd.Stderr = writer\n\tif err := pullCmd.Run(); err != nil {\n" +
            '\t\treturn fmt.Errorf("failed to pull %s: %w", imageName, err)\n\t}\n',
        replacement:
            '\tif os.Getenv("E2E_OFFLINE_IMAGES") == "" || exec.CommandContext(ctx, "podman", "image", "exists", ' +
            "imageName).Run() != nil {\n" +
            '\t\tpullCmd := exec.CommandContext(ctx, "podman", "pull", "--quiet", imageName)\n' +
            "\t\tpullCmd.Stdout = writer\n\t\tpullCmd.Stderr = writer\n\t\tif err := pullCmd.Run(); err != nil {\n" +
            '\t\t\treturn fmt.Errorf("failed to pull %s: %w", imageName, err)\n\t\t}\n\t}\n',
    },
    {
        // ...and after saving it removes the only local copy.
        file: `${INFRA}/e2e_images.go`,
        anchor:
            "\t// keeping both wastes disk during the Kind load that follows.\n" +
            '\trmiCmd := exec.CommandContext(ctx, "podman", "rmi", "-f", imageName)\n',
        replacement:
            "\t// keeping both wastes disk during the Kind load that follows.\n" +
            '\trmiArgs := []string{"rmi", "-f", imageName}\n' +
            '\tif os.Getenv("E2E_OFFLINE_IMAGES") != "" {\n\t\trmiArgs = []string{"image", "exists", imageName}\n\t}\n' +
            '\trmiCmd := exec.CommandContext(ctx, "podman", rmiArgs...)\n',
    },
    {
        file: `${INFRA}/kind_cluster_helpers.go`,
        anchor:
            "func validateKindVersion(ctx context.Context, writer io.Writer) error {\n" +
            '\tversionCmd := exec.CommandContext(ctx, "kind", "version")\n',
        replacement:
            "func validateKindVersion(ctx context.Context, writer io.Writer) error {\n" +
            '\tif os.Getenv("E2E_SKIP_KIND_VERSION_CHECK") != "" {\n\t\treturn nil\n\t}\n' +
            '\tversionCmd := exec.CommandContext(ctx, "kind", "version")\n',
    },
    {
        // Its kind configs pin kindest/node by digest: `--image` replaces it on every node.
        file: `${INFRA}/kind_cluster_helpers.go`,
        anchor: '\t\t\t"--kubeconfig", opts.KubeconfigPath,\n\t\t\t"--wait", waitTimeout)\n',
        replacement:
            '\t\t\t"--kubeconfig", opts.KubeconfigPath,\n\t\t\t"--wait", waitTimeout)\n' +
            '\t\tif img := os.Getenv("E2E_KIND_NODE_IMAGE"); img != "" {\n' +
            '\t\t\tcmd.Args = append(cmd.Args, "--image", img)\n\t\t}\n',
    },
    {
        // SignalProcessing's node pulls PostgreSQL and Redis: loaded beside its two image loads instead.
        file: `${INFRA}/signalprocessing_e2e_hybrid.go`,
        anchor:
            "\t// Wait for all 3 loads to complete (TD-E2E-001: Now includes OAuth2-Proxy)\n" +
            '\t_, _ = fmt.Fprintln(writer, "\\n⏳ Waiting for images to load...")\n',
        replacement:
            '\tfor _, img := range strings.Fields(os.Getenv("E2E_PRELOAD_IMAGES")) {\n' +
            "\t\tif err := PreloadExternalImage(ctx, img, clusterName, writer); err != nil {\n" +
            '\t\t\treturn fmt.Errorf("failed to preload %s: %w", img, err)\n\t\t}\n\t}\n\n' +
            "\t// Wait for all 3 loads to complete (TD-E2E-001: Now includes OAuth2-Proxy)\n" +
            '\t_, _ = fmt.Fprintln(writer, "\\n⏳ Waiting for images to load...")\n',
    },
    {
        // DataStorage's likewise, before their Deployments.
        file: `${INFRA}/datastorage.go`,
        anchor: "\tresults := make(chan result, 3)\n\n\t// Goroutine 1: Load pre-built DataStorage image to Kind\n",
        replacement:
            '\tfor _, img := range strings.Fields(os.Getenv("E2E_PRELOAD_IMAGES")) {\n' +
            "\t\tif err := PreloadExternalImage(ctx, img, clusterName, writer); err != nil {\n" +
            '\t\t\treturn fmt.Errorf("failed to preload %s: %w", img, err)\n\t\t}\n\t}\n\n' +
            "\tresults := make(chan result, 3)\n\n\t// Goroutine 1: Load pre-built DataStorage image to Kind\n",
    },
];

/** A lane whose setup Kubernaut's code can run alone: its suite package and the setup call. */
export interface KubernautSetupLane {
    readonly dir: string;
    readonly package: string;
    readonly cluster: string;
    /** The call, in Go, with `ctx`, `kubeconfig` and `w` in scope. */
    readonly call: string;
}

export const KUBERNAUT_SETUP_LANES: Readonly<Record<string, KubernautSetupLane>> = {
    "signalprocessing-e2e": {
        dir: "test/e2e/signalprocessing",
        package: "signalprocessing",
        cluster: "signalprocessing-e2e",
        call: 'infrastructure.SetupSignalProcessingInfrastructureHybridWithCoverage(ctx, "signalprocessing-e2e", kubeconfig, w)',
    },
    "gateway-e2e": {
        dir: "test/e2e/gateway",
        package: "gateway",
        cluster: "gateway-e2e",
        call: 'infrastructure.SetupGatewayInfrastructureParallel(ctx, "gateway-e2e", kubeconfig, w, false)',
    },
    "datastorage-e2e": {
        dir: "test/e2e/datastorage",
        package: "datastorage",
        cluster: "datastorage-e2e",
        call: 'infrastructure.SetupDataStorageInfrastructureParallel(ctx, "datastorage-e2e", kubeconfig, "datastorage-e2e", w)',
    },
};

export const SETUP_ONLY_TAG = "kubernaut_e2e_setup_only";
export const SETUP_ONLY_TEST = "TestKubernautE2ESetupOnly";

/** The setup-only test: the lane's setup call under a writer that stamps each line with the time. */
export function setupOnlyTest(lane: KubernautSetupLane): string {
    return `//go:build ${SETUP_ONLY_TAG}

// Added by kubernaut-e2e's bench:versus in a temporary copy: the suite's setup call alone, timed.
package ${lane.package}

import (
\t"bytes"
\t"context"
\t"fmt"
\t"io"
\t"os"
\t"sync"
\t"testing"
\t"time"

\t"github.com/onsi/gomega"

\t"github.com/jordigilh/kubernaut/test/infrastructure"
)

type stampedWriter struct {
\tmu  sync.Mutex
\tout io.Writer
\tbuf []byte
}

func (w *stampedWriter) Write(p []byte) (int, error) {
\tw.mu.Lock()
\tdefer w.mu.Unlock()
\tw.buf = append(w.buf, p...)
\tfor {
\t\ti := bytes.IndexByte(w.buf, '\\n')
\t\tif i < 0 {
\t\t\treturn len(p), nil
\t\t}
\t\t_, _ = fmt.Fprintf(w.out, "%s %s\\n", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), w.buf[:i])
\t\tw.buf = w.buf[i+1:]
\t}
}

func ${SETUP_ONLY_TEST}(t *testing.T) {
\t// The setup's Eventually calls use Gomega's global handler, which only RunSpecs registers; some run in goroutines.
\tgomega.RegisterFailHandler(func(message string, _ ...int) {
\t\t_, _ = fmt.Fprintf(os.Stderr, "SETUP-ONLY assertion failed: %s\\n", message)
\t\tos.Exit(3)
\t})
\thome, err := os.UserHomeDir()
\tif err != nil {
\t\tt.Fatal(err)
\t}
\tkubeconfig := fmt.Sprintf("%s/.kube/${lane.cluster}-config", home)
\tw := &stampedWriter{out: os.Stdout}
\tctx := context.Background()
\tstart := time.Now()
\t_, _ = fmt.Fprintln(w, "SETUP-ONLY BEGIN")
\terr = ${lane.call}
\t_, _ = fmt.Fprintf(w, "SETUP-ONLY END ok=%t elapsed=%.1fs\\n", err == nil, time.Since(start).Seconds())
\tif err != nil {
\t\tt.Fatal(err)
\t}
}
`;
}

/** What `bench:versus` compiles for a lane: its suite package with the edits and the setup-only test. */
export function setupOnlyInputs(stack: string): TestBinaryInputs {
    const lane = KUBERNAUT_SETUP_LANES[stack];
    if (!lane)
        throw new Error(
            `no Kubernaut setup to run for ${stack}; lanes: ${Object.keys(KUBERNAUT_SETUP_LANES).join(", ")}`,
        );
    return {
        name: `${lane.package}-setup-only`,
        dir: lane.dir,
        edits: OFFLINE_SETUP_EDITS,
        files: { "zz_kubernaut_e2e_setup_only_test.go": setupOnlyTest(lane) },
        tags: [SETUP_ONLY_TAG],
    };
}

export interface SetupPhases {
    readonly build?: number;
    readonly cluster?: number;
    readonly load?: number;
    readonly deploy?: number;
    readonly total?: number;
}

/**
 * The phases of a setup's stamped output: from each `PHASE n:` line to the next, the last one to the end. Its phase 3
 * loads images (SignalProcessing then also makes RBAC and certificates before its phase 4; Gateway deploys PostgreSQL
 * and Redis in it), its phase 4 deploys; Gateway's phase 5 (its own Deployment) counts as deploy.
 */
export function setupPhases(output: string): SetupPhases {
    const stamped = output
        .split("\n")
        .map((line) => /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ at: Date.parse(m[1]) / 1000, text: m[2] }));
    const first = (pattern: RegExp) => stamped.find((l) => pattern.test(l.text))?.at;
    const begin = first(/SETUP-ONLY BEGIN/);
    const end = first(/SETUP-ONLY END ok=true/);
    const phase = [1, 2, 3, 4].map((n) => first(new RegExp(`PHASE ${n}:`)));
    const span = (from?: number, to?: number) =>
        from !== undefined && to !== undefined ? Math.round((to - from) * 10) / 10 : undefined;
    return {
        build: span(phase[0], phase[1]),
        cluster: span(phase[1], phase[2]),
        load: span(phase[2], phase[3]),
        deploy: span(phase[3], end),
        total: span(begin, end),
    };
}
