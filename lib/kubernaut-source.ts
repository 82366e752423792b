/**
 * The Kubernaut checkout a stack reads its inputs from: Dockerfiles, CRDs, migrations, DataStorage RBAC and policies.
 * Kubernaut is an input, not our code: we read its files and never copy them.
 *
 * The root comes from stack config `kubernautRoot`, then `KUBERNAUT_ROOT`, then `../kubernaut` next to this project
 * when
 * it exists, then the offline toolchain's tree at the pinned commit.
 * Every file a stack needs is checked before any resource is registered, so a wrong root fails with the paths it lacks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";
import { PROJECT_ROOT } from "./stack-scope.js";

export const KUBERNAUT_ROOT_ENV = "KUBERNAUT_ROOT";

/**
 * The root, from config, then the environment, then the sibling checkout when there is one, then `toolchainTree` (the
 * offline toolchain's pinned tree). A relative path is relative to the project (where `Pulumi.yaml` is), never to the
 * working directory, which the engine sets to the program's own folder.
 */
export function resolveKubernautRoot(
    configured: string | undefined,
    env: NodeJS.ProcessEnv = process.env,
    toolchainTree?: string,
    sibling: string = path.resolve(PROJECT_ROOT, "..", "kubernaut"),
): { root: string; from: string } {
    if (configured) return { root: path.resolve(PROJECT_ROOT, configured), from: "`kubernaut-e2e:kubernautRoot`" };
    if (env[KUBERNAUT_ROOT_ENV])
        return { root: path.resolve(PROJECT_ROOT, env[KUBERNAUT_ROOT_ENV]), from: `\`${KUBERNAUT_ROOT_ENV}\`` };
    if (toolchainTree && !fs.existsSync(sibling))
        return { root: toolchainTree, from: "the offline toolchain's pinned tree" };
    return { root: sibling, from: "the default `../kubernaut`" };
}

/** A file or directory glob the stack needs, relative to the root. */
export interface Requirement {
    readonly path: string;
    /** `dir` requires a directory holding at least one file with this suffix. */
    readonly kind: "file" | "dir";
    readonly suffix?: string;
    /** The config key the path came from, when the user chose it: named in errors, and held inside the checkout. */
    readonly key?: string;
}

/** Whether `rel`, resolved against `root`, stays inside it. */
export function insideRoot(root: string, rel: string): boolean {
    const relative = path.relative(root, path.resolve(root, rel));
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

export class KubernautSource {
    /**
     * Opens the checkout at `root`, failing with every missing requirement listed.
     * @param from where the root came from, for the error message
     */
    static open(root: string, from: string, requirements: readonly Requirement[]): KubernautSource {
        const outside = requirements.filter((req) => !insideRoot(root, req.path));
        if (outside.length) {
            throw new pulumi.RunError(
                `Kubernaut checkout at ${root} (from ${from}): paths must stay inside it:\n${outside
                    .map(
                        (req) =>
                            `  - ${req.key ? `\`kubernaut-e2e:${req.key}\`: ` : ""}\`${req.path}\` leaves the checkout; give a path inside it`,
                    )
                    .join("\n")}`,
            );
        }
        const missing: string[] = [];
        if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
            missing.push(`${root} (the root itself)`);
        } else {
            for (const req of requirements) {
                const full = path.join(root, req.path);
                const st = fs.statSync(full, { throwIfNoEntry: false });
                const ok =
                    req.kind === "file"
                        ? st?.isFile()
                        : st?.isDirectory() && fs.readdirSync(full).some((f) => f.endsWith(req.suffix ?? ""));
                const label = req.key ? ` (\`kubernaut-e2e:${req.key}\`)` : "";
                if (!ok) missing.push(`${req.kind === "file" ? full : `${full}/*${req.suffix ?? ""}`}${label}`);
            }
        }
        if (missing.length) {
            throw new pulumi.RunError(
                `Kubernaut checkout at ${root} (from ${from}) is missing what this stack reads:\n${missing.map((m) => `  - ${m}`).join("\n")}\n` +
                    `set \`kubernaut-e2e:kubernautRoot\` or \`${KUBERNAUT_ROOT_ENV}\` to a Kubernaut checkout`,
            );
        }
        return new KubernautSource(root);
    }

    private constructor(readonly root: string) {}

    path(rel: string): string {
        return path.join(this.root, rel);
    }

    read(rel: string): string {
        return fs.readFileSync(this.path(rel), "utf8");
    }

    /** Files of `dir` ending in `suffix`, sorted by name (migrations and CRDs are applied in name order). */
    list(dir: string, suffix: string): string[] {
        return fs
            .readdirSync(this.path(dir))
            .filter((f) => f.endsWith(suffix))
            .sort()
            .map((f) => path.posix.join(dir, f));
    }

    /**
     * The `key` of ConfigMap `name` where Kubernaut's setup code holds it: a YAML manifest in a Go raw string literal
     * of `rel` (its E2E setup applies such manifests with `kubectl apply -f -`). Fails naming the file and the object,
     * followed by `hint` (what the user can do instead).
     */
    embeddedConfigMapData(rel: string, name: string, key: string, hint = ""): string {
        for (const literal of this.read(rel).matchAll(/`([^`]*)`/g)) {
            if (!literal[1].includes("kind: ConfigMap")) continue;
            for (const doc of parseAllDocuments(literal[1])) {
                if (doc.errors.length) continue;
                const value = doc.toJS() as {
                    kind?: string;
                    metadata?: { name?: string };
                    data?: Record<string, unknown>;
                } | null;
                const data =
                    value?.kind === "ConfigMap" && value.metadata?.name === name ? value.data?.[key] : undefined;
                if (typeof data === "string") return data;
            }
        }
        throw new pulumi.RunError(
            `${this.path(rel)}: no ConfigMap \`${name}\` with a \`${key}\` in its manifests${hint ? `; ${hint}` : ""}`,
        );
    }

    /** Every YAML document of `rel`, parsed; empty documents are dropped. Fails naming the file on bad YAML. */
    documents(rel: string): Record<string, unknown>[] {
        const docs = parseAllDocuments(this.read(rel));
        const result: Record<string, unknown>[] = [];
        for (const doc of docs) {
            if (doc.errors.length)
                throw new pulumi.RunError(`${this.path(rel)}: invalid YAML: ${doc.errors[0].message}`);
            const value = doc.toJS() as Record<string, unknown> | null;
            if (value) result.push(value);
        }
        return result;
    }
}
