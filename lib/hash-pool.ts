/**
 * SHA-256 of many buffers, computed on a worker thread while the caller keeps reading files, with a synchronous
 * `finish()`. A cold fingerprint reads and hashes the whole build context; with the hashing on the second core the
 * wall time approaches that of the reads alone.
 *
 * The caller stays synchronous (the fingerprint runs inside a component constructor): buffers are transferred to the
 * worker as they are read, and `finish()` blocks on `Atomics.wait` until the worker has written every digest into
 * shared memory.
 */
import * as crypto from "node:crypto";
import { Worker } from "node:worker_threads";

const DIGEST_BYTES = 32;

/** Runs inside the worker: hash each posted buffer into its slot, then bump the shared counter. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const crypto = require("node:crypto");
const digests = new Uint8Array(workerData.digests);
const done = new Int32Array(workerData.done);
parentPort.on("message", (batch) => {
  for (const [slot, buffer] of batch) {
    digests.set(crypto.createHash("sha256").update(new Uint8Array(buffer)).digest(), slot * ${DIGEST_BYTES});
  }
  Atomics.add(done, 0, batch.length);
  Atomics.notify(done, 0);
});
`;

export class HashPool {
    private readonly worker: Worker;
    private readonly digests: SharedArrayBuffer;
    private readonly done: Int32Array;
    private batch: [number, ArrayBuffer][] = [];
    private batchBytes = 0;
    private posted = 0;

    /** @param capacity the most buffers this pool will hash */
    constructor(private readonly capacity: number, private readonly batchBytesLimit = 1 << 20) {
        this.digests = new SharedArrayBuffer(capacity * DIGEST_BYTES);
        const done = new SharedArrayBuffer(4);
        this.done = new Int32Array(done);
        this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { digests: this.digests, done } });
    }

    /** Queues `buffer` for slot `slot` (0 ≤ slot < capacity). The buffer is handed over and must not be used again. */
    add(slot: number, buffer: Buffer): void {
        if (slot < 0 || slot >= this.capacity) throw new RangeError(`hash slot ${slot} outside 0..${this.capacity - 1}`);
        // A Buffer may be a view into a shared pool; copy those so only this file's bytes are transferred.
        let owned: ArrayBuffer;
        if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.byteLength > 0) {
            owned = buffer.buffer as ArrayBuffer;
        } else {
            owned = new ArrayBuffer(buffer.byteLength);
            new Uint8Array(owned).set(buffer);
        }
        this.batch.push([slot, owned]);
        this.batchBytes += buffer.byteLength;
        if (this.batchBytes >= this.batchBytesLimit) this.flush();
    }

    /** Waits for every queued buffer and returns the hex digest of each slot that was added. */
    finish(): Map<number, string> {
        this.flush();
        while (Atomics.load(this.done, 0) < this.posted) Atomics.wait(this.done, 0, Atomics.load(this.done, 0), 1000);
        void this.worker.terminate();
        const view = new Uint8Array(this.digests);
        const result = new Map<number, string>();
        for (const slot of this.slots) result.set(slot, Buffer.from(view.subarray(slot * DIGEST_BYTES, (slot + 1) * DIGEST_BYTES)).toString("hex"));
        return result;
    }

    private readonly slots: number[] = [];

    private flush(): void {
        if (this.batch.length === 0) return;
        for (const [slot] of this.batch) this.slots.push(slot);
        this.worker.postMessage(this.batch, this.batch.map(([, buffer]) => buffer));
        this.posted += this.batch.length;
        this.batch = [];
        this.batchBytes = 0;
    }
}

/** The same digest as the pool computes, on the calling thread. */
export function sha256Hex(data: string | Buffer): string {
    return crypto.createHash("sha256").update(data).digest("hex");
}
