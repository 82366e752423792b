/**
 * The `kubernaut-source` action's export, against Git repositories made here: the commit's tree exactly (not the
 * working copy's changes, not later commits), files whose contents the repository lacks left out and named, and a
 * clear error for a repository without the commit.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { execa } from "execa";
import { exportTree, kubernautSourceRepository } from "../../toolchain/actions/kubernaut-source.js";
import { PROJECT_ROOT } from "../../lib/stack-scope.js";
import { tempDir } from "../support/steps.js";

const git = (cwd: string, ...args: string[]) =>
    execa("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd }).then((r) =>
        r.stdout.trim(),
    );

async function repositoryWithTwoCommits(): Promise<{ dir: string; first: string }> {
    const dir = tempDir("kubernaut-repo");
    await git(dir, "init", "--quiet");
    fs.mkdirSync(path.join(dir, "config", "crd", "bases"), { recursive: true });
    fs.writeFileSync(path.join(dir, "config", "crd", "bases", "a.yaml"), "kind: CustomResourceDefinition\n");
    fs.writeFileSync(path.join(dir, "big.gif"), "GIF89a…");
    await git(dir, "add", ".");
    await git(dir, "commit", "--quiet", "-m", "first");
    const first = await git(dir, "rev-parse", "HEAD");
    fs.writeFileSync(path.join(dir, "later.txt"), "a later commit\n");
    await git(dir, "add", ".");
    await git(dir, "commit", "--quiet", "-m", "second");
    fs.writeFileSync(path.join(dir, "config", "crd", "bases", "a.yaml"), "changed in the working copy\n");
    return { dir, first };
}

describe("the kubernaut-source export", () => {
    it("writes the commit's tree, neither a later commit's files nor the working copy's changes", async () => {
        const { dir, first } = await repositoryWithTwoCommits();
        const target = path.join(tempDir("kubernaut-export"), first);
        const absent = await exportTree(dir, first, target, "the test", () => {});
        assert.deepEqual(absent, []);
        assert.equal(
            fs.readFileSync(path.join(target, "config", "crd", "bases", "a.yaml"), "utf8"),
            "kind: CustomResourceDefinition\n",
        );
        assert.equal(fs.existsSync(path.join(target, "later.txt")), false);
        assert.equal(fs.existsSync(path.join(target, ".git")), false);
        assert.deepEqual(
            fs.readdirSync(path.dirname(target)),
            [first],
            "no staging directory, bare clone or archive is left beside it",
        );
    });

    it("leaves out, and names, a file whose contents the repository lacks", async () => {
        const { dir, first } = await repositoryWithTwoCommits();
        const blob = await git(dir, "rev-parse", `${first}:big.gif`);
        fs.rmSync(path.join(dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
        const lines: string[] = [];
        const target = path.join(tempDir("kubernaut-export"), first);
        const absent = await exportTree(dir, first, target, "the test", (l) => lines.push(l));
        assert.deepEqual(absent, ["big.gif"]);
        assert.equal(fs.existsSync(path.join(target, "big.gif")), false);
        assert.ok(fs.existsSync(path.join(target, "config", "crd", "bases", "a.yaml")));
        assert.match(lines.join("\n"), /left out: big\.gif/);
    });

    it("names the repository and the variable that chose it when the commit is not there", async () => {
        const { dir } = await repositoryWithTwoCommits();
        const target = path.join(tempDir("kubernaut-export"), "x");
        await assert.rejects(
            exportTree(dir, "0123456789012345678901234567890123456789", target, "`KUBERNAUT_SOURCE`", () => {}),
            (err: Error) => {
                assert.match(
                    err.message,
                    new RegExp(
                        `export Kubernaut commit 0123456789012345678901234567890123456789 from ${dir} \\(\`KUBERNAUT_SOURCE\`\\): the repository does not contain it$`,
                    ),
                );
                return true;
            },
        );
        assert.equal(fs.existsSync(target), false);
    });

    it("takes the repository from KUBERNAUT_SOURCE, then KUBERNAUT_ROOT, then ../kubernaut", () => {
        assert.deepEqual(
            kubernautSourceRepository({ KUBERNAUT_SOURCE: "https://example.invalid/k.git", KUBERNAUT_ROOT: "/k" }),
            { repository: "https://example.invalid/k.git", from: "`KUBERNAUT_SOURCE`" },
        );
        assert.deepEqual(kubernautSourceRepository({ KUBERNAUT_ROOT: "/k" }), {
            repository: "/k",
            from: "`KUBERNAUT_ROOT`",
        });
        assert.deepEqual(kubernautSourceRepository({}), {
            repository: path.resolve(PROJECT_ROOT, "..", "kubernaut"),
            from: "the default `../kubernaut`",
        });
    });
});
