/**
 * An OCI registry that images travel through instead of archive loads (stack config `registry`): how a local
 * repository is named there, whether a tag is already there (the distribution API's manifest HEAD, so nothing is
 * pushed twice), and how a Kind node's containerd reaches it.
 */

const HOST =
    /^(?:localhost|(?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-fA-F:]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+)(?::(\d{1,5}))?$/;
const PREFIX = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export interface Registry {
    /** `host[:port]`, as image refs name it. */
    readonly host: string;
    /** Path under which every repository is pushed, e.g. `kubernaut`. @default - none */
    readonly prefix?: string;
    /** Plain HTTP, no TLS: only for registries on a trusted network. @default - true for loopback hosts, else false */
    readonly insecure: boolean;
    /**
     * Where a Kind node's containerd reaches the registry, when that differs from `host` (a registry on the host's
     * loopback is not the node's loopback). @default - `host` itself, or for a loopback host under Podman
     * `host.containers.internal:<port>`
     */
    readonly nodeEndpoint?: string;
}

/** What a user writes: `host:port[/prefix]`, or the same with options. */
export type RegistryInput =
    string | { readonly address: string; readonly insecure?: boolean; readonly nodeEndpoint?: string };

export function isLoopbackHost(host: string): boolean {
    const name = host.replace(/:\d+$/, "");
    return name === "localhost" || /^127\./.test(name) || name === "[::1]";
}

/** Parses `registry`; throws with what is wrong, for the caller to name the key. */
export function parseRegistry(input: RegistryInput): Registry {
    const options = typeof input === "string" ? { address: input } : input;
    const address = options.address.replace(/\/+$/, "");
    const slash = address.indexOf("/");
    const host = slash < 0 ? address : address.slice(0, slash);
    const prefix = slash < 0 ? undefined : address.slice(slash + 1);
    const match = HOST.exec(host);
    if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) {
        throw new Error(
            `\`${options.address}\` is not a registry address; expected \`host:port\` or \`host:port/prefix\`, e.g. \`127.0.0.1:5000/kubernaut\``,
        );
    }
    if (prefix !== undefined && !PREFIX.test(prefix)) {
        throw new Error(
            `\`${prefix}\` in \`${options.address}\` is not a repository path; use lowercase path components such as \`kubernaut/e2e\``,
        );
    }
    if (options.nodeEndpoint !== undefined && !HOST.test(options.nodeEndpoint)) {
        throw new Error(`nodeEndpoint \`${options.nodeEndpoint}\` is not \`host:port\``);
    }
    return {
        host,
        ...(prefix ? { prefix } : {}),
        insecure: options.insecure ?? isLoopbackHost(host),
        ...(options.nodeEndpoint ? { nodeEndpoint: options.nodeEndpoint } : {}),
    };
}

/** The repository's name in the registry: its path without the local registry part, under the prefix. */
export function registryRepository(registry: Registry, repository: string): string {
    const [first, ...rest] = repository.split("/");
    const hasDomain = rest.length > 0 && (first === "localhost" || first.includes(".") || first.includes(":"));
    const name = hasDomain ? rest.join("/") : repository;
    return [registry.host, ...(registry.prefix ? [registry.prefix] : []), name].join("/");
}

/**
 * The same image (repository and tag) under the registry: `localhost/kubernaut/ds:abc` →
 * `127.0.0.1:5000/kubernaut/ds:abc`.
 */
export function registryRef(registry: Registry, imageRef: string): string {
    const at = imageRef.indexOf("@");
    const withoutDigest = at < 0 ? imageRef : imageRef.slice(0, at);
    const colon = withoutDigest.lastIndexOf(":");
    const hasTag = colon > withoutDigest.lastIndexOf("/");
    const repository = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
    const tag = hasTag ? withoutDigest.slice(colon + 1) : "latest";
    return `${registryRepository(registry, repository)}:${tag}`;
}

/** Splits a registry ref into the distribution API's parts. */
export function refParts(ref: string): { host: string; name: string; tag: string } {
    const slash = ref.indexOf("/");
    const colon = ref.lastIndexOf(":");
    if (slash < 0 || colon < slash) throw new Error(`\`${ref}\` is not \`host/name:tag\``);
    return { host: ref.slice(0, slash), name: ref.slice(slash + 1, colon), tag: ref.slice(colon + 1) };
}

const MANIFEST_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/**
 * Whether the registry has `ref` (HEAD on its manifest). `true`/`false` for a clear answer; throws when the registry
 * cannot be reached or answers something else, naming the address, so a wrong address fails instead of re-pushing.
 */
export async function manifestExists(ref: string, insecure: boolean, timeoutMs = 10_000): Promise<boolean> {
    const { host, name, tag } = refParts(ref);
    const url = `${insecure ? "http" : "https"}://${host}/v2/${name}/manifests/${tag}`;
    let response: Response;
    try {
        response = await fetch(url, {
            method: "HEAD",
            headers: { Accept: MANIFEST_TYPES },
            signal: AbortSignal.timeout(timeoutMs),
        });
    } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(
            `the registry at ${host} did not answer (${cause?.code ?? cause?.message ?? (err as Error).message}) at ${url}; is it running, and is \`registry\` right?`,
        );
    }
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    // An anonymous HEAD on a registry that wants a login: the engine's push uses the engine's credentials.
    if (response.status === 401) return false;
    throw new Error(`the registry at ${host} answered ${response.status} ${response.statusText} to ${url}`);
}

/** The endpoint a node's containerd pulls `registry.host` from. */
export function nodeEndpointOf(registry: Registry, engine: "docker" | "podman"): string {
    if (registry.nodeEndpoint) return registry.nodeEndpoint;
    if (isLoopbackHost(registry.host)) {
        const port = /:(\d+)$/.exec(registry.host)?.[1] ?? (registry.insecure ? "80" : "443");
        if (engine === "podman") return `host.containers.internal:${port}`;
        throw new Error(
            `the registry \`${registry.host}\` is on the host's loopback, which a Docker kind node cannot reach; set \`registry.nodeEndpoint\` to an address the node reaches (e.g. the kind network's gateway, \`172.18.0.1:${port}\`) and have the registry listen there`,
        );
    }
    return registry.host;
}

/**
 * containerd's `hosts.toml` for `registry.host` on a node: pull and resolve from the node endpoint, over HTTP when
 * the registry is insecure (containerd then also skips TLS verification for it).
 */
export function containerdHostsToml(registry: Registry, engine: "docker" | "podman"): string {
    const scheme = registry.insecure ? "http" : "https";
    const endpoint = `${scheme}://${nodeEndpointOf(registry, engine)}`;
    return [
        `server = "${scheme}://${registry.host}"`,
        "",
        `[host."${endpoint}"]`,
        `  capabilities = ["pull", "resolve"]`,
        ...(registry.insecure ? ["  skip_verify = true"] : []),
        "",
    ].join("\n");
}

/** Where containerd looks for per-registry `hosts.toml` files once `config_path` names it. */
export const CONTAINERD_CERTS_DIR = "/etc/containerd/certs.d";

/** The kind `containerdConfigPatches` entry that turns on `hosts.toml` lookup (containerd 2 removed inline mirrors). */
export const CONTAINERD_CONFIG_PATH_PATCH = `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CONTAINERD_CERTS_DIR}"\n`;

/** What a kind cluster needs to pull from `registry`; a problem names the config key. */
export function clusterRegistryHosts(
    registry: Registry | undefined,
    engine: "docker" | "podman",
): { host: string; hostsToml: string }[] {
    if (!registry) return [];
    try {
        return [{ host: registry.host, hostsToml: containerdHostsToml(registry, engine) }];
    } catch (err) {
        throw new Error(`\`kubernaut-e2e:registry\`: ${(err as Error).message}`);
    }
}
