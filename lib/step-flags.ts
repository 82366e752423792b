/**
 * The kinds of flag a step verb takes, each declared once: its `--help` line, the zod rule a request's typed value
 * meets (what a component passes), the rule that turns the command line's text back into that value (what the step
 * parses), and how the value is written as arguments (what the provider runs). So the component, the step, `--help`,
 * the policy and the plan tools cannot disagree about a flag.
 */
import { stringify, parse } from "yaml";
import { z } from "zod";

/** What commander hands a flag: its text, every occurrence's text, or presence. */
type Raw = string | string[] | boolean | undefined;

/**
 * One flag: `T` is the value a request carries (with `undefined` where the flag may be left out), `P` the value the
 * step parses from its command line (defaults applied).
 */
export interface FlagDef<T, P = T> {
    readonly type: "string" | "boolean";
    /** Repeatable: one occurrence per value. */
    readonly multiple: boolean;
    /** What the value is, for `--help` (`DIR`, `REF`). */
    readonly value?: string;
    readonly description: string;
    /** Checks the value a request carries. */
    readonly typed: z.ZodType<T, T>;
    /** From the command line's raw value to the value the step uses, defaults applied. */
    readonly cli: z.ZodType<P, Raw>;
    /** The values after each `--flag`, in order: one element per occurrence (none for an unset flag). */
    encode(value: T): readonly string[];
}

/**
 * `value` with every object's keys in name order: Pulumi carries a request's objects as maps, so key order is not
 * the program's, and an argument list must not depend on it.
 */
function sortedKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortedKeys);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/** A value every flag kind may leave out. */
type Maybe<T> = T | undefined;

const mustBeNonEmpty = () => z.string({ error: "is required" }).min(1, "is required");

/** A refinement from a `names` checker (problem text or undefined). */
function checked(schema: z.ZodString, check?: (v: string) => string | undefined): z.ZodType<string> {
    return check
        ? schema.superRefine((v, ctx) => {
              const problem = check(v);
              if (problem) ctx.addIssue({ code: "custom", message: problem });
          })
        : schema;
}

export const flags = {
    /** `--name VALUE`, required. */
    text(value: string, description: string, check?: (v: string) => string | undefined): FlagDef<string> {
        const schema = checked(mustBeNonEmpty(), check);
        return {
            type: "string",
            multiple: false,
            value,
            description,
            typed: schema as z.ZodType<string, string>,
            cli: schema as z.ZodType<string, Raw>,
            encode: (v) => [v],
        };
    },
    /** `--name VALUE`, optional. */
    optionalText(
        value: string,
        description: string,
        check?: (v: string) => string | undefined,
    ): FlagDef<Maybe<string>> {
        const schema = checked(z.string(), check).optional();
        return {
            type: "string",
            multiple: false,
            value,
            description,
            typed: schema as z.ZodType<Maybe<string>, Maybe<string>>,
            cli: schema as z.ZodType<Maybe<string>, Raw>,
            encode: (v) => (v === undefined ? [] : [v]),
        };
    },
    /** `--name VALUE`, optional; `fallback` is what the step takes when it is absent. */
    textOr(
        value: string,
        description: string,
        fallback: string,
        check?: (v: string) => string | undefined,
    ): FlagDef<Maybe<string>, string> {
        const schema = checked(z.string(), check);
        return {
            type: "string",
            multiple: false,
            value,
            description,
            typed: schema.optional() as z.ZodType<Maybe<string>, Maybe<string>>,
            cli: schema.default(fallback) as z.ZodType<string, Raw>,
            encode: (v) => (v === undefined ? [] : [v]),
        };
    },
    /** `--name VALUE`, optional, one of `choices`. */
    choice<E extends string>(choices: readonly [E, ...E[]], description: string): FlagDef<Maybe<E>> {
        const schema = z.enum(choices, { error: `must be one of ${choices.join(", ")}` }).optional();
        return {
            type: "string",
            multiple: false,
            value: choices.join("|"),
            description,
            typed: schema,
            cli: schema,
            encode: (v) => (v === undefined ? [] : [v]),
        };
    },
    /** `--name N`, an integer in [min, max]; `fallback` is what the step takes when it is absent. */
    integer(
        value: string,
        description: string,
        range: { min: number; max: number; fallback: number },
    ): FlagDef<Maybe<number>, number> {
        const number = z.number().int().min(range.min).max(range.max);
        const cli = z.coerce.number().int().min(range.min).max(range.max).default(range.fallback);
        return {
            type: "string",
            multiple: false,
            value,
            description,
            typed: number.optional(),
            cli: cli as unknown as z.ZodType<number, Raw>,
            encode: (v) => (v === undefined ? [] : [String(v)]),
        };
    },
    /** `--name`, present or not. */
    boolean(description: string): FlagDef<Maybe<boolean>> {
        const schema = z.boolean().optional();
        return {
            type: "boolean",
            multiple: false,
            description,
            typed: schema,
            cli: schema,
            encode: (v) => (v ? [""] : []),
        };
    },
    /** `--name VALUE` repeated, at least one. */
    someOf(value: string, description: string, item: z.ZodType<string> = z.string()): FlagDef<string[]> {
        const schema = z.array(item).min(1, "at least one is required");
        return {
            type: "string",
            multiple: true,
            value,
            description,
            typed: schema as z.ZodType<string[], string[]>,
            cli: schema as z.ZodType<string[], Raw>,
            encode: (v) => [...v],
        };
    },
    /** `--name VALUE` repeated, or not at all. */
    list(value: string, description: string, item: z.ZodType<string> = z.string()): FlagDef<Maybe<string[]>, string[]> {
        const schema = z.array(item);
        return {
            type: "string",
            multiple: true,
            value,
            description,
            typed: schema.optional() as z.ZodType<Maybe<string[]>, Maybe<string[]>>,
            cli: schema.default([]) as z.ZodType<string[], Raw>,
            encode: (v) => [...(v ?? [])],
        };
    },
    /** `--name K=V` repeated, as a record. */
    keyValues(value: string, description: string): FlagDef<Maybe<Record<string, string>>, Record<string, string>> {
        const cli = z
            .array(z.string().regex(/^[^=]+=/, `must be ${value}`))
            .default([])
            .transform((pairs) =>
                Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)])),
            );
        return {
            type: "string",
            multiple: true,
            value,
            description,
            typed: z.record(z.string(), z.string()).optional(),
            cli: cli,
            encode: (v) => Object.entries(v ?? {}).map(([k, val]) => `${k}=${val}`),
        };
    },
    /** `--name JSON`: a value of `schema`, written as JSON with its keys in name order. */
    json<T>(value: string, description: string, schema: z.ZodType<T, T>): FlagDef<T> {
        const cli = z.string({ error: "is required" }).transform((text, ctx) => {
            try {
                const parsed = schema.safeParse(JSON.parse(text));
                if (parsed.success) return parsed.data;
                ctx.addIssue({ code: "custom", message: `must be ${value}: ${parsed.error.issues[0].message}` });
            } catch (err) {
                ctx.addIssue({ code: "custom", message: `must be ${value}: ${(err as Error).message.split("\n")[0]}` });
            }
            return z.NEVER;
        });
        return {
            type: "string",
            multiple: false,
            value,
            description,
            typed: schema,
            cli: cli,
            encode: (v) => [JSON.stringify(sortedKeys(v))],
        };
    },
    /** `--name YAML`: an object, written as YAML with its keys in name order and no line folding. */
    yaml(value: string, description: string): FlagDef<Maybe<Record<string, unknown>>> {
        const object = z.record(z.string(), z.unknown());
        const cli = z
            .string()
            .transform((text, ctx) => {
                try {
                    return object.parse(parse(text));
                } catch (err) {
                    ctx.addIssue({
                        code: "custom",
                        message: `must be a YAML mapping: ${(err as Error).message.split("\n")[0]}`,
                    });
                    return z.NEVER;
                }
            })
            .optional();
        return {
            type: "string",
            multiple: false,
            value,
            description,
            typed: object.optional(),
            cli: cli,
            encode: (v) => (v === undefined ? [] : [stringify(sortedKeys(v), { lineWidth: 0 })]),
        };
    },
};

/** A verb of a step: what it does and its flags. */
export interface VerbDef {
    readonly description: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any flag kind
    readonly flags: Readonly<Record<string, FlagDef<any, any>>>;
}

type RequestValue<F> = F extends FlagDef<infer T, unknown> ? T : never;
type ParsedValue<F> = F extends FlagDef<unknown, infer P> ? P : never;
type OptionalKeys<F> = { [K in keyof F]: undefined extends RequestValue<F[K]> ? K : never }[keyof F];
type Flatten<T> = { [K in keyof T]: T[K] };

/** The typed flags of a request of `verb`: what a component passes (flags that may be left out are optional). */
export type VerbRequestFlags<V extends VerbDef> = Flatten<
    { readonly [K in Exclude<keyof V["flags"], OptionalKeys<V["flags"]>>]: RequestValue<V["flags"][K]> } & {
        readonly [K in OptionalKeys<V["flags"]>]?: RequestValue<V["flags"][K]>;
    }
>;

/** The flags a step parses from its command line for `verb`, defaults applied. */
export type VerbFlags<V extends VerbDef> = { readonly [K in keyof V["flags"]]: ParsedValue<V["flags"][K]> };
