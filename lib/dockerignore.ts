/**
 * Docker's `.dockerignore` rules for one build context.
 *
 * Matching is delegated to `@balena/dockerignore`, a port of moby's Go matcher (last matching pattern wins, a pattern
 * that matches a parent directory applies to everything below it). What this module adds is the file lookup BuildKit
 * does (`<Dockerfile>.dockerignore` wins over `<context>/.dockerignore`) and {@link DockerIgnore.mayReinclude}, which
 * lets a walker skip an excluded directory without reading it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type * as dockerignoreTypes from "@balena/dockerignore";

// The package is CommonJS (`module.exports = factory`) while its typings declare a default export; require() gives
// the factory either way.
const dockerignore = createRequire(import.meta.url)("@balena/dockerignore") as (options?: {
    ignorecase?: boolean;
}) => dockerignoreTypes.Ignore;

export class DockerIgnore {
    /** Reads the ignore file BuildKit would use for `dockerfile` built in `contextDir`, if any. */
    static forBuild(contextDir: string, dockerfile: string): DockerIgnore {
        for (const candidate of [`${dockerfile}.dockerignore`, path.join(contextDir, ".dockerignore")]) {
            let text: string;
            try {
                text = fs.readFileSync(candidate, "utf8");
            } catch (err) {
                if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
                throw new Error(`failed to read ignore file \`${candidate}\`: ${(err as Error).message}`);
            }
            return new DockerIgnore(text, candidate);
        }
        return new DockerIgnore("", undefined);
    }

    private readonly matcher: dockerignoreTypes.Ignore;
    /** Negation patterns, split into path segments, for {@link mayReinclude}. */
    private readonly negations: RegExp[][];

    constructor(
        readonly text: string,
        readonly source: string | undefined,
    ) {
        const patterns = text
            .split(/\r?\n/)
            .map((line) => line.trim())
            .filter((line) => line !== "" && !line.startsWith("#"));
        this.matcher = dockerignore({ ignorecase: false }).add(patterns);
        this.negations = patterns
            .filter((p) => p.startsWith("!"))
            .map((p) => normalise(p.slice(1)).split("/").map(segmentRegExp));
    }

    /** True when `relPath` (slash-separated, relative to the context) is left out of the build context. */
    ignores(relPath: string): boolean {
        return this.matcher.ignores(relPath);
    }

    /**
     * True when some `!` pattern could match `relDir` itself, an ancestor, or something inside it — so an excluded
     * directory must still be walked. Conservative: a `**` segment always answers true.
     */
    mayReinclude(relDir: string): boolean {
        const dirSegments = relDir.split("/");
        return this.negations.some((segments) => {
            for (let i = 0; i < segments.length && i < dirSegments.length; i++) {
                if (segments[i] === GLOBSTAR) return true;
                if (!segments[i].test(dirSegments[i])) return false;
            }
            return true;
        });
    }
}

const GLOBSTAR = /^.*$/s;

function normalise(pattern: string): string {
    return path.posix.normalize(pattern.replace(/\\/g, "/")).replace(/^\/+/, "");
}

/** One path segment of a Go `filepath.Match` pattern as a RegExp; `**` becomes {@link GLOBSTAR}. */
function segmentRegExp(segment: string): RegExp {
    if (segment.includes("**")) return GLOBSTAR;
    let source = "";
    for (let i = 0; i < segment.length; i++) {
        const c = segment[i];
        if (c === "*") source += "[^/]*";
        else if (c === "?") source += "[^/]";
        else if (c === "[") {
            const end = segment.indexOf("]", i + 1);
            if (end < 0) return GLOBSTAR; // malformed class: assume it could match anything
            source += `[${segment
                .slice(i + 1, end)
                .replace(/^\^/, "^")
                .replace(/^!/, "^")}]`;
            i = end;
        } else if (c === "\\" && i + 1 < segment.length) source += escapeRegExp(segment[++i]);
        else source += escapeRegExp(c);
    }
    return new RegExp(`^${source}$`);
}

function escapeRegExp(c: string): string {
    return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
