/**
 * Config keys for the third-party images some lanes run, each pinned to a tag (Kubernaut used `:latest`, which the
 * node pulls on every start and which changes under a lane). The offline toolchain or a mirror can stand in for any.
 */
import { z } from "zod";
import { refineWith } from "../../lib/config.js";
import { imageReferenceProblem } from "../../lib/names.js";

const image = (ref: string) => z.string().superRefine(refineWith(imageReferenceProblem)).default(ref);

export const THIRD_PARTY_IMAGES = {
    /** Prometheus (effectivenessmonitor, kubernautagent). */
    prometheusImage: image("docker.io/prom/prometheus:v3.5.0"),
    /** AlertManager (effectivenessmonitor, kubernautagent). */
    alertManagerImage: image("docker.io/prom/alertmanager:v0.28.1"),
    /** Dex (kubernautagent). */
    dexImage: image("ghcr.io/dexidp/dex:v2.41.1"),
    /** nginx, the notification lane's mock webhook. */
    mockWebhookImage: image("docker.io/library/nginx:1.27-alpine"),
    /** The image of the enrichment fixtures' Pods (aianalysis, kubernautagent). */
    fixtureImage: image("registry.k8s.io/pause:3.9"),
} as const;

/** The keys of {@link THIRD_PARTY_IMAGES} a lane uses. */
export function thirdPartyImages<K extends keyof typeof THIRD_PARTY_IMAGES>(
    ...keys: K[]
): Pick<typeof THIRD_PARTY_IMAGES, K> {
    return Object.fromEntries(keys.map((k) => [k, THIRD_PARTY_IMAGES[k]])) as Pick<typeof THIRD_PARTY_IMAGES, K>;
}
