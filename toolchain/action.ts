/**
 * One named step of the toolchain build, in the manner of kind's create actions: the list is data, each action does
 * one thing, and a failed action names itself while everything finished before it stays done.
 */
import type { ToolchainLayout } from "../lib/toolchain/layout.js";
import type { ToolchainProfile } from "../lib/toolchain/profile.js";
import type { Progress } from "./progress.js";
import type { Pins } from "../lib/toolchain/pins.js";

export interface ToolchainContext {
    readonly layout: ToolchainLayout;
    readonly pins: Pins;
    /** Progress, one line at a time, to stderr. */
    readonly log: (line: string) => void;
    /** The running action's progress (`toolchain/progress.ts`); reports go nowhere outside a build. */
    readonly progress: Progress;
    /** The Podman binary that stores the node and service images. */
    readonly podman: string;
    readonly env: NodeJS.ProcessEnv;
}

export interface ToolchainAction {
    readonly name: string;
    /** What it makes, for `status`. */
    readonly description: string;
    /** Bump when the recipe changes: a result recorded with an older revision is built again. */
    readonly revision: number;
    /** Actions whose results this one uses. @default [] */
    readonly needs?: readonly string[];
    /**
     * Files of this project the result is made from (relative to the project root): a change to any of them builds it
     * again, as a new revision would. @default []
     */
    readonly inputs?: readonly string[];
    /** Whether the result is still there (files, images); a recorded action whose result vanished runs again. */
    present(ctx: ToolchainContext): Promise<boolean> | boolean;
    run(ctx: ToolchainContext): Promise<void>;
    /**
     * What the result offers the stacks, once built: facts of the profile `toolchain build` writes for them
     * (`lib/toolchain/profile.ts`). @default - nothing
     */
    profile?(ctx: ToolchainContext): Promise<ProfileFacts> | ProfileFacts;
}

/** Part of a toolchain profile, as one action contributes it. */
export type ProfileFacts = Partial<
    Pick<ToolchainProfile, "nodeImage" | "images" | "dockerfiles" | "kubernautRoot" | "tektonManifest">
>;
