/**
 * Stand-ins for the third-party images the lanes run that are Go programs: Prometheus and AlertManager (the
 * effectivenessmonitor and kubernautagent lanes) and Dex (kubernautagent), each built from its Go module at the
 * version the lanes pin (`components/lane/third-party.ts`; a unit test holds the two together) into a scratch image
 * laid out as the upstream image is: binary path, working directory, user. A stack uses them through its existing
 * config keys (`prometheusImage`, …), which the profile sets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import type { ProfileImageRole } from "../../lib/toolchain/profile.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import { copyModule, goBuild } from "../go.js";
import { buildScratchImage, podmanImageExists, type ImageConfig } from "../images.js";
import { buildDir } from "./kubernetes.js";

export interface GoImageRecipe {
    /** The image's short name: `localhost/kubernaut-e2e/<name>:<tag>`, and the action `<name>-image`. */
    readonly name: string;
    readonly role: ProfileImageRole;
    /** The tag of the upstream image the lanes pin, which this one stands in for. */
    readonly tag: string;
    readonly module: string;
    /** The module version of that tag (Prometheus 3.x is module v0.3xx; Dex's tags are no module versions). */
    readonly moduleVersion: string;
    /** The main package, relative to the module. */
    readonly package: string;
    readonly tags?: readonly string[];
    /** Link C code in statically (see `GoBuildOptions.cgo`). @default false */
    readonly staticCgo?: boolean;
    readonly versionVars?: Readonly<Record<string, string>>;
    /** `go mod edit` arguments applied to the module's copy before the build. @default [] */
    readonly goModEdit?: readonly string[];
    /** Where the binary goes in the image. */
    readonly binary: string;
    /** The image's config; a `workdir` is created owned by its `user`, as upstream's is writable. */
    readonly config: ImageConfig;
}

const PROMETHEUS_VERSION = "github.com/prometheus/common/version";
const promVersion = (version: string, revision: string) => ({
    [`${PROMETHEUS_VERSION}.Version`]: version,
    [`${PROMETHEUS_VERSION}.Revision`]: revision,
    [`${PROMETHEUS_VERSION}.Branch`]: "HEAD",
});

export const GO_IMAGE_RECIPES: readonly GoImageRecipe[] = [
    {
        name: "prometheus",
        role: "prometheus",
        tag: "v3.5.0",
        module: "github.com/prometheus/prometheus",
        moduleVersion: "v0.305.0",
        package: "./cmd/prometheus",
        // No `builtinassets`: the module carries no built web UI; the API, probes and receivers need none.
        tags: ["netgo"],
        versionVars: promVersion("3.5.0", "v0.305.0"),
        binary: "/bin/prometheus",
        config: { entrypoint: ["/bin/prometheus"], workdir: "/prometheus", user: "65534" },
    },
    {
        name: "alertmanager",
        role: "alertManager",
        tag: "v0.28.1",
        module: "github.com/prometheus/alertmanager",
        moduleVersion: "v0.28.1",
        package: "./cmd/alertmanager",
        tags: ["netgo"],
        versionVars: promVersion("0.28.1", "v0.28.1"),
        binary: "/bin/alertmanager",
        config: { entrypoint: ["/bin/alertmanager"], workdir: "/alertmanager", user: "65534" },
    },
    {
        name: "dex",
        role: "dex",
        tag: "v2.41.1",
        // The module path has no /v2, so the tag is no module version: this pseudo-version is its commit.
        module: "github.com/dexidp/dex",
        moduleVersion: "v0.0.0-20240807174518-43956db7fd75",
        package: "./cmd/dex",
        versionVars: { "main.version": "v2.41.1" },
        // Its config code names the SQLite storage, which needs cgo; pure-Go name and user lookups for a static binary.
        staticCgo: true,
        tags: ["netgo", "osusergo"],
        // go.mod replaces api/v2 with a directory the module zip lacks (a module of its own); v2.2.0 is that API.
        goModEdit: ["-dropreplace=github.com/dexidp/dex/api/v2", "-require=github.com/dexidp/dex/api/v2@v2.2.0"],
        binary: "/usr/local/bin/dex",
        config: { env: { PATH: "/usr/local/bin:/usr/bin:/bin" }, user: "1001" },
    },
];

export const goImageName = (recipe: GoImageRecipe) => `localhost/kubernaut-e2e/${recipe.name}:${recipe.tag}`;

function goImage(recipe: GoImageRecipe): ToolchainAction {
    const action = `${recipe.name}-image`;
    return {
        name: action,
        description: `${recipe.name} ${recipe.tag} from ${recipe.module}@${recipe.moduleVersion}, as ${goImageName(recipe)}`,
        revision: 1,
        present: (ctx) => podmanImageExists(ctx, goImageName(recipe)),
        profile: () => ({ images: { [recipe.role]: goImageName(recipe) } }),
        async run(ctx: ToolchainContext) {
            const dir = path.join(ctx.layout.workDir, action);
            ctx.progress.doing(`downloading ${recipe.module}@${recipe.moduleVersion}`);
            await copyModule(ctx.layout, recipe.module, recipe.moduleVersion, dir);
            // The build (`-mod=mod`) fetches what the edit requires and records it in go.sum.
            if (recipe.goModEdit?.length)
                await runTool("go", ["mod", "edit", ...recipe.goModEdit], { doing: "edit go.mod", cwd: dir });
            const binary = path.join(buildDir(ctx, action), path.basename(recipe.binary));
            await goBuild(ctx, {
                dir,
                packages: [recipe.package],
                output: binary,
                tags: recipe.tags,
                versionVars: recipe.versionVars,
                ...(recipe.staticCgo ? { cgo: "static" as const } : {}),
            });
            await buildScratchImage(
                ctx,
                goImageName(recipe),
                [{ source: binary, target: recipe.binary }],
                recipe.config,
            );
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

export const GO_IMAGE_ACTIONS: readonly ToolchainAction[] = GO_IMAGE_RECIPES.map(goImage);
