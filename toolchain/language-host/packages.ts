/**
 * The resource plugins a Node.js program needs: every package under the program's `node_modules` whose
 * `package.json` says `"pulumi": { "resource": true }`, with the plugin name and version it declares. The engine uses
 * the list to load (or, offline, to report missing) plugins before the program runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface RequiredPackage {
    readonly name: string;
    readonly version: string;
    readonly server?: string;
}

interface PackageJson {
    readonly name?: string;
    readonly version?: string;
    readonly pulumi?: {
        readonly resource?: boolean;
        readonly name?: string;
        readonly version?: string;
        readonly server?: string;
    };
}

function readPackage(dir: string): PackageJson | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
    } catch {
        return undefined;
    }
}

/** Scans `node_modules` from `programDir` up to `rootDir` (both inclusive), nested `node_modules` included. */
export function requiredPackages(programDir: string, rootDir: string = programDir): RequiredPackage[] {
    const found = new Map<string, RequiredPackage>();
    const visited = new Set<string>();
    const scanNodeModules = (dir: string) => {
        const real = fs.realpathSync(dir);
        if (visited.has(real)) return;
        visited.add(real);
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
            const child = path.join(dir, entry.name);
            if (entry.name.startsWith("@")) {
                scanNodeModules(child);
                continue;
            }
            const pkg = readPackage(child);
            if (pkg?.pulumi?.resource) {
                const name = pkg.pulumi.name ?? (pkg.name ?? entry.name).replace(/^@pulumi\//, "");
                const version = pkg.pulumi.version ?? pkg.version ?? "";
                found.set(`${name}@${version}`, { name, version, server: pkg.pulumi.server });
            }
            const nested = path.join(child, "node_modules");
            if (fs.existsSync(nested)) scanNodeModules(nested);
        }
    };
    let dir = path.resolve(programDir);
    const stop = path.resolve(rootDir);
    for (;;) {
        const modules = path.join(dir, "node_modules");
        if (fs.existsSync(modules)) scanNodeModules(modules);
        if (dir === stop || path.dirname(dir) === dir) break;
        dir = path.dirname(dir);
    }
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
