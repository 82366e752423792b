/**
 * Collects every problem with some input before failing, so a user fixes them all in one round (kind's aggregate
 * validation, CDK's `validateAllProps`). Each problem is keyed by the config key or argument it is about.
 */
import * as pulumi from "@pulumi/pulumi";

export class Problems {
    private readonly items: string[] = [];

    /** Records a problem with `key` unless `problem` is undefined (the shape the `names` checkers return). */
    check(key: string, problem: string | undefined): void {
        if (problem !== undefined) this.add(key, problem);
    }

    add(key: string, message: string): void {
        this.items.push(`\`${key}\`: ${message}`);
    }

    get count(): number {
        return this.items.length;
    }

    /**
     * Throws one `pulumi.RunError` listing every problem under `header` (e.g. `KindCluster "sp"`). RunError ends the
     * program with the message alone, no stack trace: these are the user's mistakes, not ours.
     */
    throwIfAny(header: string): void {
        if (this.items.length === 0) return;
        throw new pulumi.RunError(`${header}: invalid configuration:\n${this.items.map((i) => `  - ${i}`).join("\n")}`);
    }
}
