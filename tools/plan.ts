/**
 * Runs a stack program under Pulumi's mocks — no CLI, no engine, no cluster — and returns every resource it
 * registers with its parent, dependencies, options and inputs (secrets redacted). Tests and `npm run plan` use it.
 *
 * `setMocks`' `newResource` callback does not see dependencies; the register request the mock monitor receives does,
 * so the monitor's `registerResource` is wrapped to record the request.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackConfigFile } from "../lib/config.js";
import { SECRET_SIG, SECRET_VALUE, UNKNOWN } from "../lib/property-values.js";
import { CERTIFICATE_TYPE, STEP_TYPE } from "../lib/step-contract.js";
import { requestFlags } from "../lib/step-verbs.js";

export const PROJECT_NAME = "kubernaut-e2e";

export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    /** URNs this resource waits for (explicit `dependsOn`, expanded components, and Output inputs). */
    readonly dependencies: string[];
    /** Inputs as registered; secrets are `"[secret]"`, values unknown at preview `"[unknown]"`. */
    readonly inputs: Record<string, unknown>;
    readonly custom: boolean;
    /** Provider reference (`<urn>::<id>`) for custom resources that name one. */
    readonly provider: string | null;
    readonly options: {
        readonly deleteBeforeReplace: boolean;
        readonly additionalSecretOutputs: string[];
        readonly replaceOnChanges: string[];
        readonly retainOnDelete: boolean;
    };
}

export interface Plan {
    readonly stack: string;
    readonly resources: PlannedResource[];
    /** Stack outputs (secrets redacted). */
    readonly outputs: Record<string, unknown>;
}

export interface PlanOptions {
    /**
     * Config values (`kubernaut-e2e:key` → string); replaces the stack's `Pulumi.<stack>.yaml`. @default - read from
     * the file
     */
    readonly config?: Record<string, string>;
    /** Extra config merged over the file's. @default {} */
    readonly configOverrides?: Record<string, string>;
    /** Plan as `preview` does (`isDryRun()` true). @default true */
    readonly preview?: boolean;
    readonly projectRoot?: string;
}

export function redact(value: unknown): unknown {
    if (value === UNKNOWN) return "[unknown]";
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SECRET_SIG] === SECRET_VALUE) return "[secret]";
        // Resource references and assets.
        if (record[SECRET_SIG] !== undefined) return redact(record.value ?? record.urn ?? null);
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redact(v)]));
    }
    return value;
}

/** Fake outputs for resources whose outputs the programs parse. */
function mockState(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (type === STEP_TYPE) {
        const cluster = requestFlags(inputs, "cluster", "create");
        const name = cluster?.name ?? "mock";
        const result = cluster
            ? {
                  name,
                  identity: `mock-identity-${name}`,
                  kubeconfig: `apiVersion: v1\nkind: Config\nclusters: []\n# mock kubeconfig for ${name}\n`,
              }
            : {};
        return { ...inputs, result };
    }
    if (type === CERTIFICATE_TYPE) {
        return {
            ...inputs,
            certPem: `-----BEGIN CERTIFICATE-----\nmock ${String(inputs.commonName)}\n-----END CERTIFICATE-----\n`,
            keyPem: "mock key",
            notAfter: "2099-01-01T00:00:00Z",
        };
    }
    return inputs;
}

let running = false;

/** A stack's program, as Pulumi's entry point runs it. */
export type StackProgram = () => Promise<Record<string, unknown>>;

/** Plans `program` as stack `stack`. Plans run one at a time: the Pulumi runtime is process-global. */
export async function planProgram(stack: string, program: StackProgram, options: PlanOptions = {}): Promise<Plan> {
    if (running) throw new Error("planProgram: another plan is running in this process");
    running = true;
    try {
        return await planOnce(stack, program, options);
    } finally {
        running = false;
    }
}

async function planOnce(stack: string, program: StackProgram, options: PlanOptions): Promise<Plan> {
    const config = {
        ...(options.config ?? readStackConfigFile(stack, options.projectRoot)),
        ...options.configOverrides,
    };
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({
                id: `${args.name}-id`,
                state: mockState(args.type, args.inputs as Record<string, unknown>),
            }),
            call: (args) => args.inputs as Record<string, unknown>,
        },
        PROJECT_NAME,
        stack,
        options.preview ?? true,
    );
    // Kept in the order the program constructed them, so plans read top-down and are the same on every run: the
    // monitor sees a resource only once its inputs resolve, which is not an order a program controls.
    const constructed = new Map<string, number>();
    const slots: Array<PlannedResource | undefined> = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource: (req: RegisterRequest, cb: RegisterCallback) => unknown;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
        const slot = slots.push(undefined) - 1;
        return original(req, (err, resp) => {
            if (!err && resp) slots[slot] = toPlanned(req, resp.getUrn());
            callback(err, resp);
        });
    };

    // The program's error is caught inside the stack's init: a rejection there would also surface as an unhandled
    // rejection from the Stack resource's outputs.
    let failure: Error | undefined;
    // Each output is resolved on its own: the stack's combined outputs are unknown if any one value is.
    let outputs: Record<string, unknown> = {};
    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation(({ type, name }) => {
            const key = `${type}::${name}`;
            if (!constructed.has(key)) constructed.set(key, constructed.size);
            return undefined;
        });
        try {
            outputs = await program();
            return outputs;
        } catch (err) {
            failure = err as Error;
            return {};
        }
    });
    await pulumi.runtime.disconnect();
    const position = (r: PlannedResource) => constructed.get(`${r.type}::${r.name}`) ?? -1;
    const recorded = slots
        .filter((r): r is PlannedResource => r !== undefined)
        .sort((a, b) => position(a) - position(b));
    if (failure) {
        // Tests check that bad input is rejected before anything but the Stack itself is registered.
        throw Object.assign(failure, { registered: recorded.filter((r) => r.type !== "pulumi:pulumi:Stack") });
    }
    const resolved = await resolveOutputs(outputs);
    return { stack, resources: recorded, outputs: resolved };
}

async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
        Object.entries(outputs).map(async ([key, value]) => {
            const output: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<string>);
            const internal = output as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
            const [known, secret] = await Promise.all([internal.isKnown, pulumi.isSecret(output)]);
            return [key, secret ? "[secret]" : known ? await internal.promise() : "[unknown]"] as const;
        }),
    );
    return Object.fromEntries(entries);
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDeletebeforereplace(): boolean;
    getAdditionalsecretoutputsList(): string[];
    getReplaceonchangesList(): string[];
    getRetainondelete(): boolean | undefined;
}
type RegisterCallback = (err: Error | null, resp?: { getUrn(): string }) => void;

function toPlanned(req: RegisterRequest, urn: string): PlannedResource {
    return {
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent() || null,
        dependencies: [...new Set(req.getDependenciesList())].sort(),
        inputs: redact(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        custom: req.getCustom(),
        provider: req.getProvider() || null,
        options: {
            deleteBeforeReplace: req.getDeletebeforereplace(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            replaceOnChanges: req.getReplaceonchangesList(),
            retainOnDelete: req.getRetainondelete() ?? false,
        },
    };
}
