/**
 * One typed definition per lane: from the lane's data (`stacks/lanes.ts`) come its config schema and type, the
 * checkout it opens (every file it reads checked first), the cluster, the spine, the suite's identity and the hand-off
 * outputs; a stack file says only what is special about its lane — what it reads before registering anything
 * (`inputs`), and the service under test with the lane's extra components (`build`).
 *
 *     export default defineLane(LANES["gateway-e2e"], {
 *         build: (lane) => {
 *             gateway(lane);
 *             return { gatewayUrl: lane.hostUrl("gateway", "http") };
 *         },
 *     });
 */
import * as pulumi from "@pulumi/pulumi";
import { namespaceConfig, parseConfig, type MachineDefaults } from "../../lib/config.js";
import { KubernautSource, resolveKubernautRoot, type Requirement } from "../../lib/kubernaut-source.js";
import type { ProgramContext, StackProgram } from "../../lib/stack-program.js";
import { workflowFixtureFiles } from "../kubernetes/remediation-workflows.js";
import { laneConfigShape, laneToolchainDefaults, type LaneConfig } from "./config.js";
import { Lane } from "./lane.js";
import type { LaneSpec } from "./spec.js";

/** What a lane derives from its config and checkout before anything is registered. */
export interface LaneInputContext<S extends LaneSpec> {
    readonly stack: string;
    readonly config: LaneConfig<S>;
    readonly source: KubernautSource;
}

export interface LaneDefinition<S extends LaneSpec, I> {
    /** Checkout files `inputs` reads, for the config: checked with every other file the lane reads. @default [] */
    readonly files?: (config: LaneConfig<S>) => readonly Requirement[];
    /**
     * Reads and checks what the lane derives from its config and checkout (a policy, a pinned manifest): a bad one
     * fails here, before anything is registered. @default - nothing
     */
    readonly inputs?: (context: LaneInputContext<S>) => I | Promise<I>;
    /** Registers what is special about the lane; returns its outputs beyond every lane's. */
    readonly build: (lane: Lane<S>, inputs: I) => Record<string, unknown> | void;
}

/**
 * Files every lane reads from the checkout: its Dockerfiles (but those `dockerfiles` replaces), the CRDs, the
 * migrations, DataStorage's RBAC and its workflow fixtures.
 */
function laneFiles(spec: LaneSpec, replaced: Readonly<Record<string, string | undefined>>): Requirement[] {
    return [
        ...Object.entries(spec.images)
            .filter(([name]) => !replaced[name])
            .map(([, image]) => ({ path: image.dockerfile, kind: "file" as const })),
        { path: "config/crd/bases", kind: "dir", suffix: ".yaml" },
        { path: "migrations", kind: "dir", suffix: ".sql" },
        { path: "deploy/data-storage/client-rbac-v2.yaml", kind: "file" },
        { path: "deploy/data-storage/service-rbac.yaml", kind: "file" },
        ...workflowFixtureFiles(spec.workflows ?? []),
        ...(spec.files ?? []),
    ];
}

/** The machine defaults of `spec` from the program's context. */
export function laneMachineDefaults(spec: LaneSpec, context: ProgramContext): MachineDefaults | undefined {
    return laneToolchainDefaults(spec, context.profile, context.profileFile ?? "the toolchain profile");
}

export function defineLane<const S extends LaneSpec, I = undefined>(
    spec: S,
    definition: LaneDefinition<S, I>,
): StackProgram {
    return async (context) => {
        const stack = pulumi.getStack();
        const config = parseConfig(
            stack,
            laneConfigShape(spec),
            namespaceConfig(),
            laneMachineDefaults(spec, context),
        ) as LaneConfig<S>;
        const { root, from } = resolveKubernautRoot(config.kubernautRoot, process.env, context.profile?.kubernautRoot);
        const files = [...laneFiles(spec, config.dockerfiles), ...(definition.files?.(config) ?? [])];
        const source = KubernautSource.open(root, from, files);
        const inputs = (await definition.inputs?.({ stack, config, source })) as I;
        const lane = new Lane(spec, config, source, stack);
        return lane.outputs(definition.build(lane, inputs) ?? {});
    };
}
