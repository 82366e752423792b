/**
 * The environment that makes every command of this project, and the Pulumi engine it starts, use the offline
 * toolchain: its binaries first on PATH, its `PULUMI_HOME` (the providers it built), no network at run time, kind on
 * Podman. `npm run up|preview|destroy` apply it by themselves when the toolchain is built; `toolchain env` prints it
 * for a shell (`eval "$(npm run --silent toolchain -- env)"`), for plain `pulumi` and `kind` commands.
 */
import * as path from "node:path";
import type { ToolchainLayout } from "./layout.js";

/**
 * PATH without what `npm run` adds for its scripts: every `node_modules/.bin` (of the project and each parent folder)
 * and npm's `node-gyp-bin`. A PATH computed inside `npm run` and printed for a shell would otherwise carry them, and
 * the `pulumi` npm package's downloader in `node_modules/.bin` would shadow every real CLI.
 */
export function withoutNpmDirs(pathValue: string): string {
    const seen = new Set<string>();
    return pathValue
        .split(path.delimiter)
        .filter((dir) => {
            if (!dir || seen.has(dir)) return false;
            seen.add(dir);
            return !isNpmScriptDir(dir);
        })
        .join(path.delimiter);
}

/** A directory `npm run` puts on PATH for its scripts. */
export function isNpmScriptDir(dir: string): boolean {
    const normal = path.normalize(dir).replace(/\/+$/, "");
    return normal.endsWith(`${path.sep}node_modules${path.sep}.bin`) || path.basename(normal) === "node-gyp-bin";
}

/** Every variable that makes commands use the toolchain of `layout`, given the current environment. */
export function toolchainEnv(layout: ToolchainLayout, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
    return {
        PATH: [layout.binDir, withoutNpmDirs(env.PATH ?? "")].filter(Boolean).join(path.delimiter),
        PULUMI_HOME: layout.pulumiHome,
        // No network at run time: no update check, no plugin download, no registry lookup.
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
        KIND_EXPERIMENTAL_PROVIDER: "podman",
        KUBERNAUT_E2E_KIND: path.join(layout.binDir, "kind"),
        KUBERNAUT_E2E_KUBECTL: path.join(layout.binDir, "kubectl"),
    };
}
