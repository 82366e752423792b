/**
 * Progress of a toolchain action that a user can trust: what it is doing (for Go builds, packages compiled of the
 * total), how long it has run, and how long it should take, from the recorded duration of the last build of the same
 * action. On a terminal one line is redrawn as a bar every second; otherwise (CI, a log file) a plain line is printed
 * at least every 15 seconds, so slow never looks like hung.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Time and timers, injectable so tests can drive them. */
export interface Clock {
    now(): number;
    every(ms: number, tick: () => void): () => void;
}

export const realClock: Clock = {
    now: () => Date.now(),
    every(ms, tick) {
        const handle = setInterval(tick, ms);
        handle.unref();
        return () => clearInterval(handle);
    },
};

/** Where progress goes: a terminal (redrawn in place) or plain lines. */
export interface ProgressSink {
    readonly tty: boolean;
    /** A whole line (plain mode), or the current state (terminal mode: replaces the last one). */
    write(text: string): void;
    /** Before another line is logged: a terminal's bar is cleared, so the line does not run into it. */
    clear(): void;
}

/** Seconds between plain lines; the issue is a user who cannot tell slow from hung. */
export const PLAIN_INTERVAL_MS = 15_000;
const TTY_INTERVAL_MS = 1_000;
const BAR_WIDTH = 24;

export function duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** What an action reports while it runs. */
export interface Progress {
    /** What it is doing now, e.g. "debootstrap bookworm". */
    doing(what: string): void;
    /** A count of the work done, e.g. packages compiled; `total` when it is known. */
    count(done: number, total: number | undefined, unit: string): void;
}

/** Progress that goes nowhere: a context outside a build (status, env, tests). */
export const NO_PROGRESS: Progress = { doing: () => undefined, count: () => undefined };

/** The progress of one running action; {@link stop} ends its ticker. */
export class ActionProgress implements Progress {
    private activity = "starting";
    private counter?: { done: number; total?: number; unit: string };
    private readonly started: number;
    private readonly stopTicker: () => void;

    constructor(
        private readonly action: string,
        /** Seconds the last build of this action took. @default - unknown */
        private readonly lastSeconds: number | undefined,
        private readonly sink: ProgressSink,
        private readonly clock: Clock = realClock,
    ) {
        this.started = clock.now();
        this.stopTicker = clock.every(sink.tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS, () =>
            this.sink.write(this.line()),
        );
    }

    doing(what: string): void {
        this.activity = what;
        this.counter = undefined;
    }

    count(done: number, total: number | undefined, unit: string): void {
        this.counter = { done, total, unit };
    }

    /** The state as one line: the bar on a terminal, plain words otherwise. */
    line(): string {
        const elapsed = (this.clock.now() - this.started) / 1000;
        const counted = this.counter
            ? `, ${this.counter.done}${this.counter.total ? `/${this.counter.total}` : ""} ${this.counter.unit}`
            : "";
        const estimate =
            this.lastSeconds === undefined
                ? ""
                : elapsed <= this.lastSeconds
                  ? `, ~${duration(this.lastSeconds - elapsed)} left (last build ${duration(this.lastSeconds)})`
                  : `, past the last build's ${duration(this.lastSeconds)}`;
        const words = `${this.activity}${counted}: ${duration(elapsed)} elapsed${estimate}`;
        if (!this.sink.tty) return `toolchain: ${this.action}: ${words}`;
        const fraction = this.fraction(elapsed);
        const filled = Math.round(fraction * BAR_WIDTH);
        return `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${this.action}: ${words}`;
    }

    /** How far along: the counter where it has a total, else elapsed over the last build's time (never quite 1). */
    private fraction(elapsed: number): number {
        if (this.counter?.total) return Math.min(1, this.counter.done / this.counter.total);
        if (this.lastSeconds) return Math.min(0.99, elapsed / this.lastSeconds);
        return 0;
    }

    stop(): void {
        this.stopTicker();
    }
}

/** Progress to stderr: a bar when it is a terminal, plain lines otherwise. */
export function stderrSink(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
    const tty = Boolean(stream.isTTY);
    return {
        tty,
        write: (text) => {
            if (tty) stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 120) - 1)}`);
            else stream.write(`${text}\n`);
        },
        clear: () => {
            if (tty) stream.write("\r\x1b[2K");
        },
    };
}

/**
 * How long each action took the last time it was built, kept beside the pinned sets (a rebuilt or new set still has
 * an estimate): `<toolchain root>/durations.json`.
 */
export class DurationHistory {
    constructor(private readonly file: string) {}

    static at(root: string): DurationHistory {
        return new DurationHistory(path.join(root, "durations.json"));
    }

    private read(): Record<string, number> {
        try {
            return JSON.parse(fs.readFileSync(this.file, "utf8")) as Record<string, number>;
        } catch {
            return {};
        }
    }

    last(action: string): number | undefined {
        return this.read()[action];
    }

    record(action: string, seconds: number): void {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        fs.writeFileSync(this.file, `${JSON.stringify({ ...this.read(), [action]: seconds }, null, 2)}\n`);
    }
}
