/**
 * Kubernaut's SignalProcessing Ginkgo suite against a stack that is already up, through the hand-off contract of
 * `docs/suite-handoff.md`: a temporary copy of the Kubernaut tree gets the smallest change (the suite reads the
 * stack's `outputs.json` from `KUBERNAUT_E2E_OUTPUTS` instead of building and deleting its own cluster), the suite is
 * compiled on the host from the toolchain's module cache, run, and its JSON report read. Nothing is committed to
 * Kubernaut, and the change is applied by anchors that fail loudly when the suite's code moves.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execa } from "execa";
import { toolchainLayout } from "../../../lib/toolchain/layout.js";
import { goEnv } from "../../../toolchain/go.js";

const SUITE_DIR = "test/e2e/signalprocessing";

/** The Go half of the hand-off contract, added to the suite's package in the copy. */
const STACK_ENV_GO = `package signalprocessing

// Added by kubernaut-e2e's real-cluster suite in a temporary copy: the hand-off contract of its docs/suite-handoff.md.

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/jordigilh/kubernaut/test/infrastructure"
)

type stackOutputs struct {
	KubeconfigPath string \`json:"kubeconfigPath"\`
	CAFile         string \`json:"caFile"\`
	SuiteToken     string \`json:"suiteToken"\`
}

func externalStack() (stackOutputs, bool) {
	file := os.Getenv("KUBERNAUT_E2E_OUTPUTS")
	if file == "" {
		return stackOutputs{}, false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		panic(fmt.Sprintf("KUBERNAUT_E2E_OUTPUTS: %v", err))
	}
	var out stackOutputs
	if err := json.Unmarshal(data, &out); err != nil {
		panic(fmt.Sprintf("KUBERNAUT_E2E_OUTPUTS: %s: %v", file, err))
	}
	return out, true
}

func stackAwareTransport(kubeconfigPath string) (*http.Transport, error) {
	out, ok := externalStack()
	if !ok {
		return infrastructure.NewTLSAwareTransport(kubeconfigPath)
	}
	pem, err := os.ReadFile(out.CAFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in %s", out.CAFile)
	}
	return &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, ResponseHeaderTimeout: 30 * time.Second}, nil
}
`;

interface Edit {
    readonly anchor: string;
    readonly replacement: string;
}

/** The three edits of suite_test.go: skip setup, trust the stack's CA file, skip teardown. */
const SUITE_EDITS: readonly Edit[] = [
    {
        anchor: `	func() []byte {\n		By("Setting up SignalProcessing E2E cluster (process 1 only)")\n`,
        replacement: `	func() []byte {\n		if out, ok := externalStack(); ok {\n			return []byte(fmt.Sprintf("%s|%t|%s", out.KubeconfigPath, false, out.SuiteToken))\n		}\n		By("Setting up SignalProcessing E2E cluster (process 1 only)")\n`,
    },
    {
        anchor: "tlsTransport, tlsErr := infrastructure.NewTLSAwareTransport(kubeconfigPath)",
        replacement: "tlsTransport, tlsErr := stackAwareTransport(kubeconfigPath)",
    },
    {
        anchor: `		By("Deleting Kind cluster (process 1 only)")\n`,
        replacement: `		if _, ok := externalStack(); ok {\n			return\n		}\n		By("Deleting Kind cluster (process 1 only)")\n`,
    },
];

/** Applies `edits` to `text`, each anchor exactly once; throws naming the first anchor not found once. */
export function applyEdits(text: string, edits: readonly Edit[], file: string): string {
    let result = text;
    for (const edit of edits) {
        const count = result.split(edit.anchor).length - 1;
        if (count !== 1)
            throw new Error(
                `${file}: expected the anchor once, found it ${count} times: ${JSON.stringify(edit.anchor.slice(0, 80))}`,
            );
        result = result.replace(edit.anchor, edit.replacement);
    }
    return result;
}

/** A temporary copy of `kubernaut` with the suite changed, and the compiled suite binary in it. */
export async function buildHandoffSuite(kubernaut: string): Promise<{ dir: string; binary: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-kubernaut-suite-"));
    fs.cpSync(kubernaut, dir, { recursive: true });
    const suite = path.join(dir, SUITE_DIR, "suite_test.go");
    fs.writeFileSync(suite, applyEdits(fs.readFileSync(suite, "utf8"), SUITE_EDITS, suite));
    fs.writeFileSync(path.join(dir, SUITE_DIR, "stack_env_test.go"), STACK_ENV_GO);
    const binary = path.join(dir, "signalprocessing-e2e.test");
    // The toolchain's Go environment (its module and build caches), and no network: every module is already there.
    await execa("go", ["test", "-c", "-o", binary, `./${SUITE_DIR}`], {
        cwd: dir,
        env: { ...goEnv(toolchainLayout()), GOPROXY: "off" },
    });
    return { dir, binary };
}

export interface SpecResult {
    readonly text: string;
    readonly state: string;
    readonly failure?: string;
}

/** The specs of a Ginkgo JSON report, with their state and, for failures, the first line of the message. */
export function specResults(reportFile: string): SpecResult[] {
    const suites = JSON.parse(fs.readFileSync(reportFile, "utf8")) as Array<{
        SpecReports?: Array<{
            LeafNodeType: string;
            ContainerHierarchyTexts?: string[];
            LeafNodeText: string;
            State: string;
            Failure?: { Message?: string };
        }>;
    }>;
    return suites
        .flatMap((s) => s.SpecReports ?? [])
        .filter((r) => r.LeafNodeType === "It")
        .map((r) => ({
            text: [...(r.ContainerHierarchyTexts ?? []), r.LeafNodeText].join(" › "),
            state: r.State,
            ...(r.Failure?.Message ? { failure: r.Failure.Message.split("\n").find((l) => l.trim()) ?? "" } : {}),
        }));
}
