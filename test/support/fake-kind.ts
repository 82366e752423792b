/**
 * A stand-in for the kind CLI (and for `<engine> inspect` of its node containers), for the machines where kind cannot
 * run. It keeps clusters in a JSON file and appends every call's argv and provider variable to a log, so tests can
 * assert the exact command lines the steps run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface FakeKind {
    /** Executable path: pass as `--kind` and, for cluster tests, as `--engine-bin`. */
    readonly bin: string;
    readonly dir: string;
    /** Every call so far. */
    calls(): { argv: string[]; provider: string | null }[];
    clusters(): Record<string, { id: string; config: string }>;
    /** Makes a cluster exist as if created earlier (by us or by someone else). */
    addCluster(name: string, id: string): void;
    removeCluster(name: string): void;
    env(extra?: Record<string, string>): Record<string, string>;
}

const SCRIPT = String.raw`#!/usr/bin/env node
const fs = require("fs");
const crypto = require("crypto");
const stateFile = process.env.FAKE_KIND_STATE;
const state = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, "utf8")) : { clusters: {} };
const argv = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_KIND_LOG, JSON.stringify({ argv, provider: process.env.KIND_EXPERIMENTAL_PROVIDER || null }) + "\n");
const flag = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const save = () => fs.writeFileSync(stateFile, JSON.stringify(state));
const fail = (msg) => { process.stderr.write("ERROR: " + msg + "\n"); process.exit(1); };
const kubeconfig = (name) => "apiVersion: v1\nkind: Config\ncurrent-context: kind-" + name + "\n";
const cmd = argv.slice(0, 2).join(" ");
if (argv[0] === "version") { console.log("kind v0.32.0 fake"); }
else if (argv[0] === "inspect") {
  const name = argv[argv.length - 1].replace(/-control-plane$/, "");
  if (!state.clusters[name]) fail("no such object: " + argv[argv.length - 1]);
  console.log(state.clusters[name].id);
}
else if (cmd === "get clusters") { for (const n of Object.keys(state.clusters)) console.log(n); }
else if (cmd === "create cluster") {
  const name = flag("--name");
  if (state.clusters[name]) fail('node(s) already exist for a cluster with the name "' + name + '"');
  if (process.env.FAKE_KIND_FAIL_CREATE) fail("failed to create cluster: failed to init node with kubeadm");
  state.clusters[name] = { id: crypto.randomBytes(32).toString("hex"), config: fs.readFileSync(flag("--config"), "utf8") };
  fs.writeFileSync(flag("--kubeconfig"), kubeconfig(name));
  save();
  process.stderr.write("Creating cluster \"" + name + "\" ...\n");
}
else if (cmd === "delete cluster") { delete state.clusters[flag("--name")]; save(); }
else if (cmd === "get kubeconfig") { const n = flag("--name"); if (!state.clusters[n]) fail("could not locate any control plane nodes"); process.stdout.write(kubeconfig(n)); }
else if (cmd === "load image-archive") {
  const n = flag("--name");
  if (!state.clusters[n]) fail("no nodes found for cluster \"" + n + "\"");
  const size = fs.statSync(argv[2]).size;
  if (size === 0) fail("empty archive");
  state.clusters[n].loaded = (state.clusters[n].loaded || []).concat([{ archive: argv[2], size }]);
  save();
}
else fail("fake kind: unsupported " + argv.join(" "));
`;

export function makeFakeKind(): FakeKind {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ke2e-fake-kind-"));
    const bin = path.join(dir, "kind");
    fs.writeFileSync(bin, SCRIPT, { mode: 0o755 });
    const stateFile = path.join(dir, "state.json");
    const logFile = path.join(dir, "calls.log");
    fs.writeFileSync(logFile, "");
    const readState = () =>
        fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, "utf8")) : { clusters: {} };
    return {
        bin,
        dir,
        calls: () =>
            fs
                .readFileSync(logFile, "utf8")
                .split("\n")
                .filter(Boolean)
                .map((l) => JSON.parse(l)),
        clusters: () => readState().clusters,
        addCluster(name, id) {
            const state = readState();
            state.clusters[name] = { id, config: "" };
            fs.writeFileSync(stateFile, JSON.stringify(state));
        },
        removeCluster(name) {
            const state = readState();
            delete state.clusters[name];
            fs.writeFileSync(stateFile, JSON.stringify(state));
        },
        env: (extra = {}) => ({ FAKE_KIND_STATE: stateFile, FAKE_KIND_LOG: logFile, ...extra }),
    };
}
