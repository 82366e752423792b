/**
 * Kubernaut's sources at one pinned commit, kept with the toolchain: what the real-cluster suite reads (CRDs,
 * migrations, RBAC, workflow fixtures, Dockerfiles) and what the builder images are made for. The tree is exported
 * from a Git repository this machine has (`KUBERNAUT_SOURCE`, else `KUBERNAUT_ROOT`, else `../kubernaut`): the module
 * proxy does not serve Kubernaut, and a checkout beside the project is not there for every clone (CI's clean clone).
 *
 * The commit is not in `PINS` on purpose: it is source the suite reads, not something the set builds, and a new
 * commit must not make every Go build of the set start again. It keys its own directory instead.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runTool } from "../../lib/run-tool.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import type { ToolchainAction } from "../action.js";
import type { ToolchainLayout } from "../../lib/toolchain/layout.js";

/** The Kubernaut commit the suite's facts were checked against (see `test/cluster/kubernaut-facts.test.ts`). */
export const KUBERNAUT_COMMIT = "d5a4a870967312d98dbc302ac2ae3505087bfcb0";

/** Where the pinned tree lives: `<set>/kubernaut/<commit>`. */
export function kubernautSourceDir(layout: Pick<ToolchainLayout, "setDir">, commit: string = KUBERNAUT_COMMIT): string {
    return path.join(layout.setDir, "kubernaut", commit);
}

/** The repository the tree is exported from, and the variable (or default) that named it. */
export function kubernautSourceRepository(env: NodeJS.ProcessEnv): {
    readonly repository: string;
    readonly from: string;
} {
    if (env.KUBERNAUT_SOURCE) return { repository: env.KUBERNAUT_SOURCE, from: "`KUBERNAUT_SOURCE`" };
    if (env.KUBERNAUT_ROOT) return { repository: path.resolve(env.KUBERNAUT_ROOT), from: "`KUBERNAUT_ROOT`" };
    return { repository: path.resolve(PROJECT_ROOT, "..", "kubernaut"), from: "the default `../kubernaut`" };
}

/**
 * Files of the pinned tree whose contents the repository does not have: a partial clone, or a stored snapshot that
 * left its largest files out (an animated GIF of the docs, here). None of them is read by a lane.
 */
async function absentFiles(gitDir: string, commit: string): Promise<string[]> {
    const objects = await runTool("git", ["--git-dir", gitDir, "rev-list", "--objects", "--missing=print", commit], {
        doing: "list Kubernaut's objects",
    });
    const missing = new Set(
        objects.stdout
            .split("\n")
            .filter((l) => l.startsWith("?"))
            .map((l) => l.slice(1).trim()),
    );
    if (!missing.size) return [];
    const tree = await runTool("git", ["--git-dir", gitDir, "ls-tree", "-r", "-z", commit], {
        doing: "list Kubernaut's tree",
    });
    return tree.stdout
        .split("\0")
        .filter(Boolean)
        .flatMap((entry) => {
            const [meta, file] = entry.split("\t");
            return missing.has(meta.split(" ")[2]) ? [file] : [];
        });
}

/**
 * Writes `commit`'s tree from `repository` (a path or URL) to `target`, replacing it only once complete, and returns
 * the files left out for want of their contents.
 */
export async function exportTree(
    repository: string,
    commit: string,
    target: string,
    from: string,
    log: (line: string) => void,
): Promise<string[]> {
    const staging = `${target}.partial`;
    const bare = `${target}.git`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(bare, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    try {
        // A bare clone works for a path and a URL alike; `git archive` then writes exactly the commit's tree, without
        // whatever a working copy has changed or left untracked.
        await runTool("git", ["clone", "--quiet", "--bare", "--", repository, bare], {
            doing: `clone Kubernaut from ${repository} (${from})`,
        });
        const has = await runTool("git", ["--git-dir", bare, "cat-file", "-e", `${commit}^{commit}`], {
            doing: "look for the commit",
            allowFailure: true,
        });
        if (has.exitCode !== 0)
            throw new Error(
                `cannot export Kubernaut commit ${commit} from ${repository} (${from}): the repository does not contain it`,
            );
        const archive = `${target}.tar`;
        const absent = await absentFiles(bare, commit);
        if (absent.length)
            log(
                `toolchain: kubernaut-source: ${absent.length} file(s) the repository lacks the contents of are left out: ${absent.join(", ")}`,
            );
        await runTool(
            "git",
            [
                "--git-dir",
                bare,
                "archive",
                "--format=tar",
                "-o",
                archive,
                commit,
                "--",
                ".",
                ...absent.map((f) => `:(exclude,literal)${f}`),
            ],
            {
                doing: `export Kubernaut commit ${commit} from ${repository} (${from})`,
            },
        );
        await runTool("tar", ["-x", "-f", archive, "-C", staging], { doing: "unpack Kubernaut's tree" });
        fs.rmSync(target, { recursive: true, force: true });
        fs.renameSync(staging, target);
        return absent;
    } finally {
        fs.rmSync(staging, { recursive: true, force: true });
        fs.rmSync(bare, { recursive: true, force: true });
        fs.rmSync(`${target}.tar`, { force: true });
    }
}

export const kubernautSource: ToolchainAction = {
    name: "kubernaut-source",
    description: `Kubernaut's sources at ${KUBERNAUT_COMMIT.slice(0, 8)} (from KUBERNAUT_SOURCE, KUBERNAUT_ROOT or ../kubernaut)`,
    revision: 1,
    present: (ctx) => fs.existsSync(path.join(kubernautSourceDir(ctx.layout), "go.mod")),
    profile: (ctx) => ({ kubernautRoot: kubernautSourceDir(ctx.layout) }),
    async run(ctx) {
        const { repository, from } = kubernautSourceRepository(ctx.env);
        const target = kubernautSourceDir(ctx.layout);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        await exportTree(repository, KUBERNAUT_COMMIT, target, from, ctx.log);
        ctx.log(`toolchain: kubernaut-source: ${target}`);
    },
};
