/**
 * The smoke stack's facts as data (its program is `smoke-e2e.ts`): its config schema, the host port it publishes and
 * what the offline toolchain sets beneath its config — what every other stack's host-port check and `plan` read
 * without running it.
 */
import { z } from "zod";
import { commonConfig, type MachineDefaults } from "../lib/config.js";
import type { NamedPorts } from "../lib/host-ports.js";
import type { ToolchainProfile } from "../lib/toolchain/profile.js";

/** The api's NodePort, which the cluster maps to `hostPort`. */
export const SMOKE_API_NODE_PORT = 30080;

export const SMOKE_CONFIG = {
    ...commonConfig(),
    /**
     * Base image of the two smoke images. @default - the toolchain's busybox when it is built, else
     * "docker.io/library/busybox:1.36"
     */
    baseImage: z.string().default("docker.io/library/busybox:1.36"),
    /** Host port for the api's NodePort 30080. @default 38080 */
    hostPort: z.number().int().min(1).max(65535).default(38080),
    /** Seconds the provider waits for each Deployment. @default 300 */
    readyTimeoutSeconds: z.number().int().min(1).max(3600).default(300),
};

export function smokeHostPorts(values: Record<string, unknown>): NamedPorts {
    return { hostPort: z.object({ hostPort: SMOKE_CONFIG.hostPort }).parse({ hostPort: values.hostPort }).hostPort };
}

/** Its node image, engine and base from the toolchain's profile (the images build FROM its busybox). */
export function smokeToolchainDefaults(
    profile: ToolchainProfile | undefined,
    from: string,
): MachineDefaults | undefined {
    if (!profile) return undefined;
    return {
        values: { nodeImage: profile.nodeImage, engine: profile.engine, baseImage: profile.images.busybox },
        source: "toolchain",
        from,
    };
}
