/**
 * Entry of `pulumi-language-nodejs` in the offline toolchain: `pulumi-language-nodejs [-flags] [engine address]`.
 * Flags the engine passes (`-tracing`, `-runtime`) are accepted and ignored; `-version` prints the SDK's version.
 */
import { createRequire } from "node:module";
import { serveLanguageHost } from "./host.js";

const args = process.argv.slice(2);
if (args.includes("-version") || args.includes("--version")) {
    process.stdout.write(
        `${(createRequire(import.meta.url)("@pulumi/pulumi/package.json") as { version: string }).version}\n`,
    );
} else {
    const positional = args.filter(
        (a, i) => !a.startsWith("-") && !["-tracing", "--tracing", "-runtime", "--runtime"].includes(args[i - 1] ?? ""),
    );
    await serveLanguageHost(positional[0] ?? "");
}
