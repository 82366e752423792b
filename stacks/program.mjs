/**
 * The Pulumi program's entry (`Pulumi.yaml` `main`): compiles the project when the build is stale, then runs the
 * compiled program (`bin/stacks/index.js`). So `pulumi up --stack …` works straight from a checkout, like `npm run up`.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import { ensureBuilt } from "../lib/ensure-built.mjs";

ensureBuilt();
const { default: program } = await import("../bin/stacks/index.js");
export default program;
