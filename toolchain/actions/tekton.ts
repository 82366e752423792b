/**
 * Tekton Pipelines for the workflowexecution lane, from its Go module at the release Kubernaut's lane applies
 * (v1.7.0): its eight commands as images laid out as `ko` lays them out (the binary at `/ko-app/<name>`, CA bundle,
 * the `nonroot` user 65532, which Kubernaut's PipelineRuns need: they run with `runAsNonRoot`), a shell image for
 * steps with scripts, and the release manifest made as Tekton's release makes it: every `config/` file in walk order,
 * each `ko://` reference and the shell image replaced by ours, `devel` by the version. The profile offers that
 * manifest as the lane's `tektonManifest`; the lane preloads the images it names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import type { ToolchainAction, ToolchainContext } from "../action.js";
import { copyModule, goBuild } from "../go.js";
import { buildScratchImage, podmanImageExists, type ScratchFile } from "../images.js";
import { buildDir } from "./kubernetes.js";
import { BUSYBOX_IMAGE } from "./node-images.js";

export const TEKTON = { module: "github.com/tektoncd/pipeline", version: "v1.7.0" } as const;

/** The commands of the module that the release deploys or the TaskRun Pods run. */
export const TEKTON_COMMANDS = [
    "controller",
    "webhook",
    "events",
    "resolvers",
    "entrypoint",
    "nop",
    "workingdirinit",
    "sidecarlogresults",
] as const;

const NONROOT = "65532";
export const tektonImageName = (command: string) => `localhost/kubernaut-e2e/tekton/${command}:${TEKTON.version}`;
/** The `-shell-image` of script steps: busybox as the nonroot user. */
export const TEKTON_SHELL_IMAGE = `localhost/kubernaut-e2e/tekton/shell:${TEKTON.version}`;

export const tektonManifestFile = (ctx: Pick<ToolchainContext, "layout">) =>
    path.join(buildDir(ctx, "tekton"), "release.yaml");

/** `config/`'s YAML files as Go's `filepath.Walk` visits them (lexical, depth first), as `ko resolve -R` reads them. */
export function walkOrder(dir: string, rel = ""): string[] {
    return fs
        .readdirSync(path.join(dir, rel), { withFileTypes: true })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .flatMap((e) => {
            const child = rel ? `${rel}/${e.name}` : e.name;
            if (e.isDirectory()) return walkOrder(dir, child);
            return /\.ya?ml$/.test(e.name) ? [child] : [];
        });
}

/** The release manifest from the module's `config/` documents, with our images and the version. */
export function renderTektonRelease(documents: readonly string[], version: string): string {
    const text = documents.map((d) => d.trim()).join("\n---\n");
    return `${text
        .replace(/ko:\/\/github\.com\/tektoncd\/pipeline\/cmd\/([\w-]+)/g, (_, command: string) =>
            tektonImageName(command),
        )
        .replace(/("-shell-image",\s*)"[^"]+"/g, `$1"${TEKTON_SHELL_IMAGE}"`)
        .replace(
            /((?:pipeline\.tekton\.dev\/release|app\.kubernetes\.io\/version|\bversion): )"devel"/g,
            `$1"${version}"`,
        )}\n`;
}

/** Debian's static tini, the resolvers' init (its image's command is `/sbin/tini -- /ko-app/resolvers`). */
async function tiniStatic(ctx: ToolchainContext, dir: string): Promise<string> {
    fs.mkdirSync(dir, { recursive: true });
    await runTool("apt-get", ["download", "tini"], { doing: "download Debian's tini", cwd: dir });
    const deb = fs.readdirSync(dir).find((f) => f.startsWith("tini_") && f.endsWith(".deb"));
    if (!deb) throw new Error("apt-get download tini produced no package");
    await runTool("dpkg-deb", ["-x", path.join(dir, deb), path.join(dir, "rootfs")], { doing: `unpack ${deb}` });
    return path.join(dir, "rootfs", "usr", "bin", "tini-static");
}

export const tekton: ToolchainAction = {
    name: "tekton",
    description: `Tekton Pipelines ${TEKTON.version} from its Go module: its images and its release manifest`,
    revision: 1,
    needs: ["node-images"],
    async present(ctx) {
        if (!fs.existsSync(tektonManifestFile(ctx))) return false;
        for (const name of [...TEKTON_COMMANDS.map(tektonImageName), TEKTON_SHELL_IMAGE])
            if (!(await podmanImageExists(ctx, name))) return false;
        return true;
    },
    profile: (ctx) => ({ tektonManifest: tektonManifestFile(ctx) }),
    async run(ctx) {
        const source = path.join(ctx.layout.workDir, "tekton-src");
        const out = buildDir(ctx, "tekton");
        ctx.progress.doing(`downloading ${TEKTON.module}@${TEKTON.version}`);
        await copyModule(ctx.layout, TEKTON.module, TEKTON.version, source);
        await goBuild(ctx, {
            dir: source,
            packages: TEKTON_COMMANDS.map((c) => `./cmd/${c}`),
            output: `${path.join(out, "bin")}/`,
        });
        // ko's base (distroless static): CA certificates and the nonroot user.
        const etc = path.join(out, "etc");
        fs.mkdirSync(etc, { recursive: true });
        fs.writeFileSync(
            path.join(etc, "passwd"),
            `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`,
        );
        fs.writeFileSync(path.join(etc, "group"), `root:x:0:\nnonroot:x:${NONROOT}:\n`);
        const base: ScratchFile[] = [
            { source: "/etc/ssl/certs/ca-certificates.crt", target: "/etc/ssl/certs/ca-certificates.crt" },
            { source: path.join(etc, "passwd"), target: "/etc/passwd" },
            { source: path.join(etc, "group"), target: "/etc/group" },
        ];
        const tini = await tiniStatic(ctx, path.join(ctx.layout.workDir, "tini"));
        for (const command of TEKTON_COMMANDS) {
            ctx.progress.doing(`image ${tektonImageName(command)}`);
            const files = [...base, { source: path.join(out, "bin", command), target: `/ko-app/${command}` }];
            if (command === "resolvers") files.push({ source: tini, target: "/sbin/tini" });
            await buildScratchImage(ctx, tektonImageName(command), files, {
                entrypoint: [`/ko-app/${command}`],
                user: NONROOT,
            });
        }
        await buildDerivedImage(ctx, TEKTON_SHELL_IMAGE, BUSYBOX_IMAGE, [`USER ${NONROOT}:${NONROOT}`]);
        const config = path.join(source, "config");
        const documents = walkOrder(config).map((f) => fs.readFileSync(path.join(config, f), "utf8"));
        fs.writeFileSync(tektonManifestFile(ctx), renderTektonRelease(documents, TEKTON.version));
        fs.rmSync(source, { recursive: true, force: true });
    },
};

/** An image `FROM` another with a few more instructions (no context). */
async function buildDerivedImage(ctx: ToolchainContext, name: string, from: string, lines: readonly string[]) {
    const dir = path.join(ctx.layout.workDir, "image-contexts", name.replace(/[^a-zA-Z0-9_.-]+/g, "_"));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Containerfile"), [`FROM ${from}`, ...lines, ""].join("\n"));
    await runTool(ctx.podman, ["build", "--quiet", "-t", name, "-f", path.join(dir, "Containerfile"), dir], {
        doing: `build image ${name}`,
    });
}
