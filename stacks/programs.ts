/** The stack programs of this project, by environment name. Loaded lazily: a run imports only its own. */
export const STACK_PROGRAMS = {
    "smoke-e2e": () => import("./smoke-e2e.js"),
} as const satisfies Record<string, () => Promise<{ default: () => Record<string, unknown> | Promise<Record<string, unknown>> }>>;

export type Environment = keyof typeof STACK_PROGRAMS;

export function programFor(environment: string): (typeof STACK_PROGRAMS)[Environment] | undefined {
    return Object.hasOwn(STACK_PROGRAMS, environment) ? STACK_PROGRAMS[environment as Environment] : undefined;
}
