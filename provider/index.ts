/**
 * Entry of the provider plugin `kubernaut-e2e-local`, declared in `Pulumi.yaml` and started by the engine through
 * `provider/pulumi-resource-kubernaut-e2e-local` with the engine's address as its argument.
 */
import { engineAddressFrom } from "./engine-log.js";
import { projectProvider } from "./local-provider.js";
import { serveProvider } from "./server.js";

await serveProvider(projectProvider(engineAddressFrom(process.argv.slice(2))));
