#!/usr/bin/env node
/**
 * Runs one of this project's compiled commands — `node cli/launch.mjs <cli/plan|steps/image|…> [args]`, which is what
 * every `npm run` script does — after compiling when the build is stale (`lib/ensure-built.mjs`).
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { ensureBuilt, root } from "../lib/ensure-built.mjs";

const [target, ...args] = process.argv.slice(2);
if (!target || !/^(cli|steps|bench)\/[\w-]+$/.test(target)) {
    process.stderr.write("usage: node cli/launch.mjs <cli/<command>|steps/<step>|bench/<bench>> [args]\n");
    process.exit(2);
}
ensureBuilt();
const entry = path.join(root, "bin", `${target}.js`);
if (!fs.existsSync(entry)) {
    process.stderr.write(`kubernaut-e2e: no command \`${target}\` (looked for ${entry})\n`);
    process.exit(2);
}
// The command sees itself as the entry point, with its own arguments.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
