/** What one resource type of the project's provider implements; `provider/server.ts` adapts it to the engine's RPCs. */

export type Props = Record<string, unknown>;

export interface CheckOutcome {
    readonly inputs: Props;
    readonly failures: ReadonlyArray<{ readonly property: string; readonly reason: string }>;
}

export interface DiffOutcome {
    /** Whether anything changes. */
    readonly changes: boolean;
    /** Input keys whose change replaces the resource. */
    readonly replaces: readonly string[];
    /** Input keys that changed (replacing or not), for `preview --diff`. */
    readonly diffs: readonly string[];
    /** Delete the old resource before creating its replacement (it names the same thing on the host). @default false */
    readonly deleteBeforeReplace?: boolean;
}

export interface ResourceHandler {
    check(olds: Props, news: Props): Promise<CheckOutcome>;
    diff(olds: Props, news: Props): Promise<DiffOutcome>;
    /** With `preview`, nothing may happen: return what is known of the outputs. */
    create(urn: string, news: Props, preview: boolean): Promise<{ readonly id: string; readonly outs: Props }>;
    /** With `preview`, nothing may happen: return what is known of the outputs. */
    update(urn: string, olds: Props, news: Props, preview: boolean): Promise<Props>;
    /** `pulumi refresh`: the current state, or an empty id when the resource is gone. */
    read(id: string, props: Props): Promise<{ readonly id: string; readonly props: Props }>;
    delete(urn: string, props: Props): Promise<void>;
}

/** The type token in a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? "";
}
