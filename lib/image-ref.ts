/**
 * How an image's content-addressed ref is made, shared by the `ContainerImage` component (which knows the ref at plan
 * time) and the `image` step (which builds under it), so the two can never disagree.
 */

/** Length of the fingerprint prefix used as the tag: 48 bits, ample for one project's images. */
export const TAG_HEX_LENGTH = 12;

/** The build argument that turns on Go coverage instrumentation in Kubernaut's Dockerfiles. */
export const COVERAGE_BUILD_ARG = { GOFLAGS: "-cover" } as const;

/** Build args as the engine sees them: the user's, plus `GOFLAGS=-cover` when coverage is on. */
export function effectiveBuildArgs(
    buildArgs: Readonly<Record<string, string>>,
    coverage: boolean,
): Record<string, string> {
    return coverage ? { ...buildArgs, ...COVERAGE_BUILD_ARG } : { ...buildArgs };
}

/** `<repository>:<first 12 hex of the fingerprint>`. */
export function imageRefFor(repository: string, fingerprint: string): string {
    return `${repository}:${fingerprint.slice(0, TAG_HEX_LENGTH)}`;
}
