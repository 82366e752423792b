/**
 * Grammar of the names this project passes to Docker, Podman, kind and Kubernetes. Each checker returns a problem
 * (lowercase, no trailing period) or `undefined`, so callers can collect every problem before failing.
 */

const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const DOMAIN =
    "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?)";
/** An image repository without tag or digest, per the distribution reference grammar. */
const REPOSITORY = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
/** A full reference with a tag and/or a digest. */
const REFERENCE = new RegExp(
    `^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);
const KIND_CLUSTER_NAME = /^[a-z0-9.-]+$/;

export function repositoryProblem(value: string): string | undefined {
    if (value.length > 255 || !REPOSITORY.test(value)) {
        return `\`${value}\` is not an image repository; use lowercase path components such as \`localhost/kubernaut/datastorage\` (no tag)`;
    }
    return undefined;
}

export function imageReferenceProblem(value: string): string | undefined {
    if (!REFERENCE.test(value))
        return `\`${value}\` is not an image reference such as \`docker.io/library/postgres:16-alpine\``;
    return undefined;
}

/** kind accepts `^[a-z0-9.-]+$` and warns past 50 characters (its node container names get too long); we reject. */
export function clusterNameProblem(value: string): string | undefined {
    if (!KIND_CLUSTER_NAME.test(value))
        return `\`${value}\` is not a kind cluster name; use only \`a-z\`, \`0-9\`, \`.\` and \`-\``;
    if (value.length > 50)
        return `\`${value}\` is ${value.length} characters long; kind cluster names must be at most 50`;
    return undefined;
}

/** A pinned node image: `kindest/node:<tag>@sha256:<64 hex>`. */
export function pinnedImageProblem(value: string): string | undefined {
    if (!/@sha256:[a-f0-9]{64}$/.test(value) || imageReferenceProblem(value)) {
        return `\`${value}\` is not pinned by digest; use \`kindest/node:<version>@sha256:<digest>\``;
    }
    return undefined;
}

/** A Kubernetes object or Service name (RFC 1123 label): lowercase alphanumerics and `-`, at most 63 characters. */
export function dnsLabelProblem(value: string): string | undefined {
    if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= 63) return undefined;
    return `\`${value}\` is not a valid name: lowercase letters, digits and \`-\`, starting and ending with a letter or digit, at most 63 characters`;
}
