/**
 * The Go half of the hand-off contract (docs/suite-handoff.md), added as one file to a suite's package in its
 * temporary copy: the stack's outputs (`KUBERNAUT_E2E_OUTPUTS`) read once, any output by key (a URL where the stack's
 * host port is not Kubernaut's), a TLS transport trusting the stack's CA file, the stack's suite tokens. A lane adds
 * what its suite needs beyond that (`SuiteSpec.goHelper`).
 */

/** The file's Go source for package `pkg`, with `extra` appended (functions that use the package's own variables). */
export function goHelper(pkg: string, extra = ""): string {
    return `package ${pkg}

// Added by kubernaut-e2e in a temporary copy of this suite: the hand-off contract of its docs/suite-handoff.md.

import (
\t"context"
\t"crypto/tls"
\t"crypto/x509"
\t"encoding/json"
\t"fmt"
\t"net/http"
\t"os"
\t"strings"
\t"time"

\t"github.com/jordigilh/kubernaut/test/infrastructure"
)

// stackOutputs is the stack's outputs file: the keys every lane has, and every key by name.
type stackOutputs struct {
\tKubeconfigPath   string            \`json:"kubeconfigPath"\`
\tNamespace        string            \`json:"namespace"\`
\tCAFile           string            \`json:"caFile"\`
\tSuiteToken       string            \`json:"suiteToken"\`
\tSecondSuiteToken string            \`json:"secondSuiteToken"\`
\tDataStorageURL   string            \`json:"dataStorageUrl"\`
\tWorkflowIDs      map[string]string \`json:"workflowIds"\`
\traw              map[string]any
}

var stackOutputsRead *stackOutputs

// externalStack reads KUBERNAUT_E2E_OUTPUTS once; ok is false when the suite should build its own environment.
func externalStack() (stackOutputs, bool) {
\tfile := os.Getenv("KUBERNAUT_E2E_OUTPUTS")
\tif file == "" {
\t\treturn stackOutputs{}, false
\t}
\tif stackOutputsRead == nil {
\t\tdata, err := os.ReadFile(file)
\t\tif err != nil {
\t\t\tpanic(fmt.Sprintf("KUBERNAUT_E2E_OUTPUTS: %v", err))
\t\t}
\t\tvar out stackOutputs
\t\tif err := json.Unmarshal(data, &out); err != nil {
\t\t\tpanic(fmt.Sprintf("KUBERNAUT_E2E_OUTPUTS: %s: %v", file, err))
\t\t}
\t\tif err := json.Unmarshal(data, &out.raw); err != nil {
\t\t\tpanic(fmt.Sprintf("KUBERNAUT_E2E_OUTPUTS: %s: %v", file, err))
\t\t}
\t\tstackOutputsRead = &out
\t}
\treturn *stackOutputsRead, true
}

// stackOutputOr is the stack's output \`key\` without \`suffix\` (the suites add paths themselves), or without a stack
// the suite's own value. A stack without the key fails loudly: the suite's own value may be another lane's port.
func stackOutputOr(key, suffix, fallback string) string {
\tout, ok := externalStack()
\tif !ok {
\t\treturn fallback
\t}
\tvalue, _ := out.raw[key].(string)
\tif value == "" {
\t\tpanic(fmt.Sprintf("KUBERNAUT_E2E_OUTPUTS: the stack has no output %q", key))
\t}
\treturn strings.TrimSuffix(value, suffix)
}

// stackAwareTransport trusts the stack's CA file, or does what the suite did before.
func stackAwareTransport(kubeconfigPath string) (*http.Transport, error) {
\tout, ok := externalStack()
\tif !ok {
\t\treturn infrastructure.NewTLSAwareTransport(kubeconfigPath)
\t}
\tpem, err := os.ReadFile(out.CAFile)
\tif err != nil {
\t\treturn nil, err
\t}
\tpool := x509.NewCertPool()
\tif !pool.AppendCertsFromPEM(pem) {
\t\treturn nil, fmt.Errorf("no certificate in %s", out.CAFile)
\t}
\treturn &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, ResponseHeaderTimeout: 30 * time.Second}, nil
}

// stackAwareToken is the stack's suite token (second: its second identity's), or a TokenRequest as before.
func stackAwareToken(ctx context.Context, namespace, serviceAccount, kubeconfigPath string, second ...bool) (string, error) {
\tif out, ok := externalStack(); ok {
\t\tif len(second) > 0 && second[0] {
\t\t\treturn out.SecondSuiteToken, nil
\t\t}
\t\treturn out.SuiteToken, nil
\t}
\treturn infrastructure.GetServiceAccountToken(ctx, namespace, serviceAccount, kubeconfigPath)
}
${extra}`;
}
