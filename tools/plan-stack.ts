/** Plans any stack of this project under Pulumi's mocks (see `lib/plan.ts`): what `plan`, `graph` and `lint:stack` use. */
import { planProgram, type Plan, type PlanOptions } from "./plan.js";
import main from "../stacks/index.js";

export function planStack(stack: string, options: PlanOptions = {}): Promise<Plan> {
    return planProgram(stack, main, options);
}
