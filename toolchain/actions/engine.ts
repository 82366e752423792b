/**
 * The Pulumi engine, offline: the CLI, a Node.js language host, and the Kubernetes provider plugin, each at the
 * version this project's npm packages ask for.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import { copyModule, goBuild, goDownload, goEnv, writeWrapperModule } from "../go.js";

const exists = (file: string) => fs.existsSync(file);

/** The `replace` of `module` in a downloaded go.mod, e.g. `github.com/tgummerer/clipboard v0.0.0-…`. */
export function replaceTarget(goMod: string, module: string): string | undefined {
    const line = goMod
        .split("\n")
        .find((l) => l.trim().startsWith(`replace ${module} =>`) || l.trim().startsWith(`${module} =>`));
    return line?.split("=>")[1]?.trim();
}

export const pulumiCli: ToolchainAction = {
    name: "pulumi-cli",
    description: "the Pulumi CLI (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)",
    revision: 1,
    present: (ctx) => exists(path.join(ctx.layout.binDir, "pulumi")),
    async run(ctx) {
        const { version } = ctx.pins.pulumi;
        const pkg = await goDownload(ctx.layout, "github.com/pulumi/pulumi/pkg/v3", `v${version}`);
        // pkg/go.mod points sdk/v3 at its sibling directory and swaps a clipboard module; a wrapper module requires
        // the released sdk instead and repeats the clipboard swap, which `go install` cannot do.
        const clipboard = replaceTarget(
            fs.readFileSync(path.join(pkg, "go.mod"), "utf8"),
            "github.com/atotto/clipboard",
        );
        const dir = await writeWrapperModule(
            ctx.layout,
            path.join(ctx.layout.workDir, "pulumi-cli"),
            {
                name: "pulumi-cli",
                goVersion: "1.25",
                require: {
                    "github.com/pulumi/pulumi/pkg/v3": `v${version}`,
                    "github.com/pulumi/pulumi/sdk/v3": `v${version}`,
                },
                replace: clipboard ? { "github.com/atotto/clipboard": clipboard } : {},
            },
            [`github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v${version}`],
        );
        await goBuild(ctx, {
            dir,
            packages: ["github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"],
            output: path.join(ctx.layout.binDir, "pulumi"),
            tags: ["osusergo", "grpcnotrace"],
            versionVars: { "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version": `v${version}` },
        });
    },
};

/** The compiled language host of this checkout (`toolchain/language-host/`). */
export const LANGUAGE_HOST_ENTRY = path.join(PROJECT_ROOT, "bin", "toolchain", "language-host", "index.js");

/** A POSIX shell word for `value`. */
function shellWord(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `pulumi-language-nodejs` the CLI finds next to itself. It runs the language host of the project it is started
 * for — the engine starts it in the program's folder, so the nearest `Pulumi.yaml` above that names the checkout —
 * so one toolchain serves every checkout and clone on the machine; `fallback` (the checkout that built the toolchain)
 * serves a start from anywhere else.
 */
export function languageHostLauncher(fallback: string = LANGUAGE_HOST_ENTRY): string {
    return [
        "#!/bin/sh",
        "# Pulumi's Node.js language host for this toolchain: kubernaut-e2e's own (see toolchain/language-host/), taken",
        "# from the checkout of the project it runs for.",
        "dir=$PWD",
        'while [ "$dir" != / ] && [ ! -f "$dir/Pulumi.yaml" ]; do dir=$(dirname "$dir"); done',
        'entry="$dir/bin/toolchain/language-host/index.js"',
        `[ -f "$entry" ] || entry=${shellWord(fallback)}`,
        'exec node "$entry" "$@"',
        "",
    ].join("\n");
}

export const languageHost: ToolchainAction = {
    name: "language-host",
    description:
        "a Node.js language host (pulumi-language-nodejs), kubernaut-e2e's own: Pulumi's is not served by the module proxy",
    revision: 2,
    present(ctx) {
        const launcher = path.join(ctx.layout.binDir, "pulumi-language-nodejs");
        // Any checkout's launcher serves this one (only the fallback differs), once this checkout's host is built.
        const withoutFallback = (text: string) => text.replace(/^\[ -f "\$entry" \] \|\| entry=.*$/m, "");
        return (
            exists(launcher) &&
            withoutFallback(fs.readFileSync(launcher, "utf8")) === withoutFallback(languageHostLauncher()) &&
            exists(LANGUAGE_HOST_ENTRY)
        );
    },
    async run(ctx) {
        if (!exists(LANGUAGE_HOST_ENTRY))
            throw new Error(`\`${LANGUAGE_HOST_ENTRY}\` is missing; run \`npm run build\` first`);
        fs.mkdirSync(ctx.layout.binDir, { recursive: true });
        fs.writeFileSync(path.join(ctx.layout.binDir, "pulumi-language-nodejs"), languageHostLauncher(), {
            mode: 0o755,
        });
    },
};

export function kubernetesPluginPath(ctx: Pick<ToolchainContext, "layout" | "pins">): string {
    const { version } = ctx.pins.providers.kubernetes;
    return path.join(ctx.layout.pulumiHome, "plugins", `resource-kubernetes-v${version}`, "pulumi-resource-kubernetes");
}

export const kubernetesProvider: ToolchainAction = {
    name: "provider-kubernetes",
    description: "the Pulumi Kubernetes provider plugin, installed into the toolchain's PULUMI_HOME",
    revision: 1,
    needs: ["pulumi-cli"],
    present: (ctx) => exists(kubernetesPluginPath(ctx)),
    async run(ctx) {
        const { version, module, moduleVersion } = ctx.pins.providers.kubernetes;
        const dir = await copyModule(
            ctx.layout,
            module,
            moduleVersion,
            path.join(ctx.layout.workDir, "provider-kubernetes"),
        );
        // The provider does not import the SDK in ../sdk; without the replace it resolves the released one.
        const goMod = path.join(dir, "go.mod");
        fs.writeFileSync(
            goMod,
            fs
                .readFileSync(goMod, "utf8")
                .split("\n")
                .filter((l) => !/^replace github.com\/pulumi\/pulumi-kubernetes\/sdk\/v4 =>/.test(l))
                .join("\n"),
        );
        // The embedded schema files are generated (git-ignored upstream, so absent from the module zip).
        const cmd = path.join(dir, "cmd", "pulumi-resource-kubernetes");
        await runTool("go", ["generate", "."], {
            doing: "generate the provider's embedded schema",
            cwd: cmd,
            env: { ...goEnv(ctx.layout), VERSION: version },
        });
        const binary = path.join(ctx.layout.workDir, "provider-kubernetes-bin", "pulumi-resource-kubernetes");
        await goBuild(ctx, {
            dir,
            packages: ["./cmd/pulumi-resource-kubernetes"],
            output: binary,
            versionVars: { [`${module}/pkg/version.Version`]: version },
        });
        await runTool(
            path.join(ctx.layout.binDir, "pulumi"),
            ["plugin", "install", "resource", "kubernetes", version, "--file", binary],
            {
                doing: `install the kubernetes provider ${version} into ${ctx.layout.pulumiHome}`,
                env: { PULUMI_HOME: ctx.layout.pulumiHome, PULUMI_SKIP_UPDATE_CHECK: "true" },
            },
        );
    },
};

export const ENGINE_ACTIONS: readonly ToolchainAction[] = [pulumiCli, languageHost, kubernetesProvider];
