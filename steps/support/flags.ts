/**
 * Flags several step programs share, declared once: which engine (and binary) to use, and which kind binary.
 * Each pair is the `node:util` option and the zod rule for it, spread into a step's own flag set.
 */
import { z } from "zod";
import { ENGINE_NAMES } from "../../lib/engine.js";

export const ENGINE_OPTIONS = { engine: { type: "string" }, "engine-bin": { type: "string" } } as const;
export const ENGINE_SCHEMA = { engine: z.enum(ENGINE_NAMES).optional(), "engine-bin": z.string().min(1).optional() };

export const KIND_OPTIONS = { kind: { type: "string" } } as const;
export const KIND_SCHEMA = { kind: z.string().min(1).optional() };
