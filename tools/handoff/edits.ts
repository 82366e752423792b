/**
 * The smallest change a Kubernaut suite needs to run against a stack, as text edits anchored on its own source: each
 * anchor must be found exactly once (or, for an edit of every call, at least once), so a suite whose code moved fails
 * loudly, naming the file and the anchor, instead of running unchanged against a stack it would then tear down.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface SuiteEdit {
    /** The file, relative to the suite's package directory (`../../infrastructure/x.go` reaches beyond it). */
    readonly file: string;
    readonly anchor: string;
    readonly replacement: string;
    /** Replace every occurrence (at least one) instead of exactly one. @default false */
    readonly every?: boolean;
}

/** `text` with `edits` applied in order; throws naming `file` and the first anchor not found as expected. */
export function applyEdits(text: string, edits: readonly Omit<SuiteEdit, "file">[], file: string): string {
    let result = text;
    for (const edit of edits) {
        const count = result.split(edit.anchor).length - 1;
        const ok = edit.every ? count >= 1 : count === 1;
        if (!ok) {
            const expected = edit.every ? "at least once" : "once";
            const anchor = JSON.stringify(edit.anchor.slice(0, 100));
            throw new Error(`${file}: expected the anchor ${expected}, found it ${count} times: ${anchor}`);
        }
        result = edit.every
            ? result.split(edit.anchor).join(edit.replacement)
            : result.replace(edit.anchor, () => edit.replacement);
    }
    return result;
}

/** Applies `edits` to the files under `packageDir`, grouped by file, each file read and written once. */
export function applyEditsIn(packageDir: string, edits: readonly SuiteEdit[]): void {
    const byFile = new Map<string, SuiteEdit[]>();
    for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    for (const [file, fileEdits] of byFile) {
        const full = path.join(packageDir, file);
        fs.writeFileSync(full, applyEdits(fs.readFileSync(full, "utf8"), fileEdits, full));
    }
}

/** Every TLS transport of `file` on the stack's CA file (`stackAwareTransport`), wherever the kubeconfig is. */
export const trustStackCa = (file: string): SuiteEdit => ({
    file,
    anchor: "infrastructure.NewTLSAwareTransport(kubeconfigPath)",
    replacement: "stackAwareTransport(kubeconfigPath)",
    every: true,
});

/** The same in a spec file whose import of Kubernaut's test infrastructure served only that call: it goes too. */
export const specTrustsStackCa = (file: string): SuiteEdit[] => [
    trustStackCa(file),
    { file, anchor: '\t"github.com/jordigilh/kubernaut/test/infrastructure"\n', replacement: "" },
];
