/**
 * What the offline toolchain offers this machine's stacks, as facts: the node image it built (pinned by digest), its
 * images by role, Kubernaut's pinned tree. `toolchain build` writes them to `<set>/profile.json` once the actions that
 * make them are done; a stack program reads them as a layer of defaults between its stack config and its built-in
 * defaults (`lib/config.ts`), so a machine with the toolchain needs no `pulumi config set` for any of them.
 *
 * `KUBERNAUT_E2E_TOOLCHAIN_PROFILE` names another profile file, or `none` for no profile (the unit tests: a plan must
 * not depend on what this machine has built).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { toolchainLayout, type ToolchainLayout } from "./layout.js";

export const PROFILE_ENV = "KUBERNAUT_E2E_TOOLCHAIN_PROFILE";

/** Roles of the images the toolchain makes; each names what a stack would otherwise pull. */
export const PROFILE_IMAGE_ROLES = [
    "busybox",
    "postgres",
    "redis",
    "goBuilder",
    "ubiBase",
    "prometheus",
    "alertManager",
    "dex",
    "mockWebhook",
    "pause",
    "placeholderExecution",
] as const;
export type ProfileImageRole = (typeof PROFILE_IMAGE_ROLES)[number];

const profileSchema = z.strictObject({
    setId: z.string(),
    writtenAt: z.string(),
    /** The engine whose store holds the images below (the node image runs on it). */
    engine: z.enum(["docker", "podman"]),
    /** The kind node image, `name@sha256:…`. */
    nodeImage: z.string().optional(),
    images: z.partialRecord(z.enum(PROFILE_IMAGE_ROLES), z.string()).default({}),
    /**
     * Dockerfiles of this project that replace a Kubernaut image's (by image), relative to the project: each checkout
     * resolves its own copy.
     */
    dockerfiles: z.record(z.string(), z.string()).default({}),
    /** Kubernaut's tree at the pinned commit (`kubernaut-source`). */
    kubernautRoot: z.string().optional(),
    /** The machine's CPUs, which a kind node's allocatable CPU is. */
    cpus: z.number().int().positive().optional(),
    /** Tekton's release manifest rendered with the toolchain's images. */
    tektonManifest: z.string().optional(),
});

export type ToolchainProfile = z.infer<typeof profileSchema>;

export function profileFile(layout: ToolchainLayout): string {
    return path.join(layout.setDir, "profile.json");
}

/**
 * The profile this process sees: the file `KUBERNAUT_E2E_TOOLCHAIN_PROFILE` names, none when it says `none`, else the
 * current toolchain's when it has one. A file that exists but does not parse is an error naming it.
 */
export function readToolchainProfile(env: NodeJS.ProcessEnv = process.env): ToolchainProfile | undefined {
    const chosen = env[PROFILE_ENV];
    if (chosen === "none") return undefined;
    const file = chosen || profileFile(toolchainLayout(env));
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        if (chosen) throw new Error(`${PROFILE_ENV}: cannot read \`${file}\`: ${(err as Error).message}`);
        return undefined;
    }
    const parsed = profileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new Error(
            `${file}: not a toolchain profile (\`${first.path.join(".")}\`: ${first.message}); rebuild it with \`npm run toolchain -- build\``,
        );
    }
    return parsed.data;
}

export function writeToolchainProfile(
    layout: ToolchainLayout,
    profile: Omit<ToolchainProfile, "setId" | "writtenAt">,
): ToolchainProfile {
    const full: ToolchainProfile = { setId: layout.setId, writtenAt: new Date().toISOString(), ...profile };
    fs.mkdirSync(layout.setDir, { recursive: true });
    const file = profileFile(layout);
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(full, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
    return full;
}
