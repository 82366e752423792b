/**
 * Everything `npm run e2e -- <stack>` needs, resolved and checked before anything is built: the lane the stack runs
 * and its suite, the Kubernaut checkout the stack builds from (the same layers as the stack: `kubernautRoot`,
 * `KUBERNAUT_ROOT`, `../kubernaut`, the toolchain's pinned tree), Go and its environment, and the Ginkgo CLI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentOf, scopeOfStack, stackDefinition, STACKS } from "../../stacks/programs.js";
import { namespaceConfig, readStackConfigFile } from "../../lib/config.js";
import { findOnPath } from "../../lib/engine.js";
import { resolveKubernautRoot } from "../../lib/kubernaut-source.js";
import type { StackScope } from "../../lib/stack-scope.js";
import { withoutNpmDirs } from "../../lib/toolchain/env.js";
import { toolchainLayout } from "../../lib/toolchain/layout.js";
import { readToolchainProfile } from "../../lib/toolchain/profile.js";
import { goEnv } from "../../toolchain/go.js";
import { checkSuiteSource } from "./build.js";
import { SUITES, type SuiteSpec } from "./suites.js";

export interface SuiteTarget {
    readonly stack: string;
    readonly suite: SuiteSpec;
    readonly scope: StackScope;
    /** The Kubernaut checkout, and which layer chose it. */
    readonly kubernautRoot: string;
    readonly kubernautFrom: string;
    /** The Go environment of the compile: the toolchain's module cache, offline, when the toolchain has it. */
    readonly goEnv: Readonly<Record<string, string>>;
    readonly ginkgo: string;
}

/** The toolchain's Go environment when it holds Kubernaut's modules (`kubernaut-modules`), else none of ours. */
export function suiteGoEnv(env: NodeJS.ProcessEnv): Record<string, string> {
    const layout = toolchainLayout(env);
    if (!fs.existsSync(path.join(layout.doneDir, "kubernaut-modules.json"))) return {};
    return { ...goEnv(layout), GOPROXY: "off", GOFLAGS: "-mod=mod" };
}

/** The Ginkgo CLI: the toolchain's (Kubernaut's version), else one on PATH. */
export function findGinkgo(env: NodeJS.ProcessEnv): string | undefined {
    const built = path.join(toolchainLayout(env).binDir, "ginkgo");
    if (fs.existsSync(built)) return built;
    return findOnPath("ginkgo", { ...env, PATH: withoutNpmDirs(env.PATH ?? "") });
}

const lanesWithSuites = () => Object.keys(SUITES).sort().join(", ");

/** Resolves and checks `stack`'s suite; each problem is one line naming what to change. */
export function resolveSuiteTarget(stack: string, env: NodeJS.ProcessEnv): SuiteTarget {
    const values = namespaceConfig(readStackConfigFile(stack));
    const environment = environmentOf(stack, values);
    const definition = stackDefinition(environment);
    if (!definition)
        throw new Error(
            `unknown stack \`${stack}\`: no Pulumi.${stack}.yaml names an environment, and it is not one of ` +
                `${Object.keys(STACKS).join(", ")}`,
        );
    const suite = Object.hasOwn(SUITES, environment) ? SUITES[environment as keyof typeof SUITES] : undefined;
    if (!suite)
        throw new Error(
            `stack \`${stack}\` runs ${environment}, which has no Kubernaut suite; lanes with one: ${lanesWithSuites()}`,
        );
    const configured = typeof values.kubernautRoot === "string" ? values.kubernautRoot : undefined;
    const { root, from } = resolveKubernautRoot(configured, env, readToolchainProfile(env)?.kubernautRoot);
    checkSuiteSource(root, suite, from.replace(/`/g, ""));
    if (!findOnPath("go", env))
        throw new Error("Go is needed to compile the suite (`go test -c`), and there is no `go` on PATH");
    const ginkgo = findGinkgo(env);
    if (!ginkgo)
        throw new Error(
            "the Ginkgo CLI runs the suite, and there is none: build the toolchain's (`npm run toolchain -- build " +
                "ginkgo`) or put one on PATH (`go install github.com/onsi/ginkgo/v2/ginkgo`)",
        );
    return {
        stack,
        suite,
        scope: scopeOfStack(stack, values),
        kubernautRoot: root,
        kubernautFrom: from,
        goEnv: suiteGoEnv(env),
        ginkgo,
    };
}
