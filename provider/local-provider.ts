/**
 * The project's resource provider, `kubernaut-e2e-local`: the step programs and the certificates, the two things the
 * stacks need beyond Kubernetes objects, with no plugin to download on any machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CERTIFICATE_TYPE, STEP_TYPE } from "../lib/step-contract.js";
import { PROJECT_ROOT } from "../lib/stack-scope.js";
import { certificateHandler } from "./certificate.js";
import { engineLog } from "./engine-log.js";
import type { ProviderServerOptions } from "./server.js";
import { cancelRunningSteps, stepHandler } from "./step.js";

/** The provider's version: the project's. */
export const PROVIDER_VERSION = (
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** Every handler, with step progress sent to the engine at `engineAddress` (none in tests). */
export function projectProvider(engineAddress: string | undefined): ProviderServerOptions {
    const log = engineLog(engineAddress);
    return {
        version: PROVIDER_VERSION,
        handlers: { [STEP_TYPE]: stepHandler(log), [CERTIFICATE_TYPE]: certificateHandler() },
        cancel: () => cancelRunningSteps(),
    };
}
