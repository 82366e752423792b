/** The toolchain's progress: lines a user can tell slow from hung by, under a fake clock and a fake `go`. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { toolchainLayout } from "../../lib/toolchain/layout.js";
import { goCompile } from "../../toolchain/go.js";
import {
    ActionProgress,
    DurationHistory,
    NO_PROGRESS,
    PLAIN_INTERVAL_MS,
    type Clock,
    type Progress,
    type ProgressSink,
} from "../../toolchain/progress.js";
import { tempDir } from "../support/steps.js";

/** A clock whose time moves only when told, firing the timers it passes. */
function fakeClock(): Clock & { advance(ms: number): void } {
    let now = 0;
    const timers: Array<{ every: number; next: number; tick: () => void; stopped: boolean }> = [];
    return {
        now: () => now,
        every(ms, tick) {
            const timer = { every: ms, next: ms, tick, stopped: false };
            timers.push(timer);
            return () => {
                timer.stopped = true;
            };
        },
        advance(ms) {
            const end = now + ms;
            for (;;) {
                const due = timers.filter((t) => !t.stopped && t.next <= end).sort((a, b) => a.next - b.next)[0];
                if (!due) break;
                now = due.next;
                due.next += due.every;
                due.tick();
            }
            now = end;
        },
    };
}

function recordingSink(tty: boolean): ProgressSink & { lines: string[] } {
    const lines: string[] = [];
    return { tty, lines, write: (text) => lines.push(text), clear: () => undefined };
}

describe("toolchain progress", () => {
    it("prints a plain line every 15 s with what it does, elapsed time and the estimate from the last build", () => {
        const clock = fakeClock();
        const sink = recordingSink(false);
        const progress = new ActionProgress("provider-kubernetes", 600, sink, clock);
        progress.doing("compiling ./cmd/pulumi-resource-kubernetes");
        clock.advance(PLAIN_INTERVAL_MS - 1);
        assert.deepEqual(sink.lines, [], "nothing before 15 s");
        clock.advance(1);
        assert.equal(
            sink.lines[0],
            "toolchain: provider-kubernetes: compiling ./cmd/pulumi-resource-kubernetes: 15s elapsed, ~9m45s left (last build 10m00s)",
        );
        progress.count(412, 1210, "packages");
        clock.advance(PLAIN_INTERVAL_MS);
        assert.equal(
            sink.lines[1],
            "toolchain: provider-kubernetes: compiling ./cmd/pulumi-resource-kubernetes, 412/1210 packages: 30s elapsed, ~9m30s left (last build 10m00s)",
        );
        clock.advance(10 * 60_000);
        assert.match(sink.lines.at(-1)!, /10m30s elapsed, past the last build's 10m00s$/);
        const count = sink.lines.length;
        progress.stop();
        clock.advance(60_000);
        assert.equal(sink.lines.length, count, "a stopped action prints nothing more");
    });

    it("says no estimate when the action was never built here", () => {
        const clock = fakeClock();
        const sink = recordingSink(false);
        new ActionProgress("kind", undefined, sink, clock).count(3, undefined, "packages");
        clock.advance(PLAIN_INTERVAL_MS);
        assert.equal(sink.lines[0], "toolchain: kind: starting, 3 packages: 15s elapsed");
    });

    it("draws a bar on a terminal every second, filled by the package count when it has a total", () => {
        const clock = fakeClock();
        const sink = recordingSink(true);
        const progress = new ActionProgress("kubernetes", 240, sink, clock);
        progress.doing("compiling kubelet");
        progress.count(300, 1200, "packages");
        clock.advance(1000);
        assert.equal(sink.lines.length, 1);
        assert.match(
            sink.lines[0],
            /^\[######\.{18}\] kubernetes: compiling kubelet, 300\/1200 packages: 1s elapsed, ~3m59s left/,
        );
        progress.stop();
    });

    it("counts the packages `go build -v` names as progress and logs Go's other output", async () => {
        const bin = tempDir("fake-go");
        // Like `go build -v`: package paths on stderr as they compile, then a warning line.
        fs.writeFileSync(
            path.join(bin, "go"),
            [
                "#!/bin/sh",
                "for p in internal/abi runtime k8s.io/api/core/v1; do echo $p >&2; done",
                'echo "# k8s.io/x: warning: something" >&2',
                'echo "$@" > "$ARGS_FILE"',
            ].join("\n"),
            { mode: 0o755 },
        );
        const counts: Array<[number, number | undefined]> = [];
        const logged: string[] = [];
        const progress: Progress = { doing: () => undefined, count: (done, total) => counts.push([done, total]) };
        const argsFile = path.join(bin, "args");
        const ctx = {
            layout: toolchainLayout({ KUBERNAUT_E2E_TOOLCHAIN_ROOT: tempDir("toolchain") }),
            log: (l: string) => logged.push(l),
            progress,
        };
        await goCompile(ctx, ["build", "-o", "/dev/null", "./cmd/x"], {
            doing: "build ./cmd/x",
            cwd: bin,
            env: { PATH: `${bin}:${process.env.PATH}`, ARGS_FILE: argsFile },
            total: 5,
        });
        assert.deepEqual(counts, [
            [0, 5],
            [1, 5],
            [2, 5],
            [3, 5],
        ]);
        assert.deepEqual(logged, ["  # k8s.io/x: warning: something"]);
        assert.equal(fs.readFileSync(argsFile, "utf8").trim(), "build -v -o /dev/null ./cmd/x");
    });

    it("keeps each action's last duration beside the pinned sets", () => {
        const history = DurationHistory.at(tempDir("toolchain-root"));
        assert.equal(history.last("kind"), undefined);
        history.record("kind", 42.5);
        history.record("etcd", 49);
        assert.equal(history.last("kind"), 42.5);
        assert.equal(history.last("etcd"), 49);
        assert.equal(typeof NO_PROGRESS.doing, "function");
    });
});
