/**
 * The engine's wire encoding of special property values, as a provider or the mock monitor sees them: secrets are
 * objects tagged with {@link SECRET_SIG}, and a value not known during preview is the {@link UNKNOWN} string.
 * Shared by the project's provider (which must execute with plain values but store secrets as secrets) and the
 * planner (which redacts them).
 */
import { isDeepStrictEqual } from "node:util";

export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function isSecretWrapper(value: unknown): value is { value?: unknown } {
    return (
        typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE
    );
}

/** `value` wrapped as a secret, so the engine keeps it encrypted in state and out of the display. */
export function secretValue(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG]: SECRET_VALUE, value };
}

/** `value` with every secret wrapper replaced by what it holds: what a step actually runs with. */
export function plainValue(value: unknown): unknown {
    if (isSecretWrapper(value)) return plainValue(value.value);
    if (Array.isArray(value)) return value.map(plainValue);
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plainValue(v)]));
    }
    return value;
}

/** Whether any part of `value` is unknown (a preview whose inputs depend on something not yet created). */
export function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    if (value && typeof value === "object")
        return Object.values(value as Record<string, unknown>).some(containsUnknown);
    return false;
}

/** Equality of two property values regardless of which parts are marked secret; an unknown equals nothing. */
export function sameValue(a: unknown, b: unknown): boolean {
    if (containsUnknown(a) || containsUnknown(b)) return false;
    return isDeepStrictEqual(plainValue(a), plainValue(b));
}
