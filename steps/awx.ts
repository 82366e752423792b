/**
 * `awx` step: what the workflowexecution lane needs inside AWX before the WorkflowExecution controller can run Ansible
 * workflows — an organization, the test playbooks project (synced), an inventory with localhost, the job templates the
 * workflows name, and an API token for the controller. Kubernaut's setup posted these once and failed on a second run;
 * this step looks each one up by name first, so running it again changes nothing but the token.
 *
 *   awx configure --url URL --templates JSON [--project-url URL --project-revision REV] [--timeout-seconds N]
 *
 * The admin password comes on standard input. Prints `{"organizationId","projectId","token"}` (the stack keeps it as a
 * secret).
 */
import * as fs from "node:fs";
import { isMain, main, verbs, type StepIO } from "../lib/command-line.js";
import { isDryRun } from "./support/flags.js";
import { verbSpec, type Flags as StepFlags } from "./support/verb.js";

type Flags = StepFlags<"awx", "configure">;

/** A small client of AWX's v2 API, basic auth, JSON both ways. */
export class AwxApi {
    constructor(
        private readonly base: string,
        private readonly auth: string,
        private readonly fetchImpl: typeof fetch = fetch,
    ) {}

    async call(
        method: string,
        path: string,
        body?: unknown,
    ): Promise<{ status: number; json: Record<string, unknown> }> {
        const response = await this.fetchImpl(`${this.base.replace(/\/$/, "")}/api/v2${path}`, {
            method,
            headers: { authorization: `Basic ${this.auth}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        let json: Record<string, unknown> = {};
        try {
            json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
            json = { text };
        }
        return { status: response.status, json };
    }

    /** The id of the object named `name` at `path`, creating it with `body` when there is none. */
    async ensure(path: string, name: string, body: Record<string, unknown>): Promise<number> {
        const found = await this.call("GET", `${path}?name=${encodeURIComponent(name)}`);
        const existing = (found.json.results as { id: number }[] | undefined)?.[0];
        if (existing) return existing.id;
        const created = await this.call("POST", path, { name, ...body });
        if (created.status !== 201)
            throw new Error(
                `AWX refused to create ${path} \`${name}\`: HTTP ${created.status} ${JSON.stringify(created.json).slice(0, 300)}`,
            );
        return created.json.id as number;
    }
}

async function until<T>(
    what: string,
    deadline: number,
    probe: () => Promise<T | undefined>,
    io: StepIO,
    pauseMs = 5000,
): Promise<T> {
    let last = "";
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined) return value;
        } catch (err) {
            last = (err as Error).message;
        }
        await new Promise((r) => setTimeout(r, pauseMs));
    }
    throw new Error(`awx configure: timed out waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
}

/** Configures AWX (see the file comment); `password` is the admin's. */
export async function configureAwx(
    flags: Flags,
    password: string,
    io: StepIO,
    fetchImpl: typeof fetch = fetch,
    pauseMs = 5000,
): Promise<{ organizationId: number; projectId: number; token: string }> {
    const api = new AwxApi(flags.url, Buffer.from(`${flags.username}:${password}`).toString("base64"), fetchImpl);
    const deadline = Date.now() + flags["timeout-seconds"] * 1000;
    await until(
        "the API to answer",
        deadline,
        async () => ((await api.call("GET", "/ping/")).status === 200 ? true : undefined),
        io,
        pauseMs,
    );
    await until(
        "the admin to log in",
        deadline,
        async () => ((await api.call("GET", "/me/")).status === 200 ? true : undefined),
        io,
        pauseMs,
    );
    await until(
        "a ready control node",
        deadline,
        async () => {
            const nodes = (await api.call("GET", "/instances/")).json.results as
                { enabled?: boolean; node_state?: string; node_type?: string }[] | undefined;
            return nodes?.some(
                (n) => n.enabled && n.node_state === "ready" && (n.node_type === "control" || n.node_type === "hybrid"),
            )
                ? true
                : undefined;
        },
        io,
        pauseMs,
    );

    const organizationId = await api.ensure("/organizations/", flags.organization, {
        description: "Kubernaut E2E organization",
    });
    io.log(`awx configure: organization ${organizationId}`);
    const projectId = await api.ensure("/projects/", "kubernaut-test-playbooks", {
        description: "Playbooks of Kubernaut's Ansible engine tests",
        organization: organizationId,
        scm_type: "git",
        scm_url: flags["project-url"],
        scm_branch: flags["project-revision"],
        scm_update_on_launch: true,
    });
    await until(
        "the project to sync",
        deadline,
        async () => {
            const status = (await api.call("GET", `/projects/${projectId}/`)).json.status;
            if (status === "failed" || status === "error") throw new Error(`project sync ${status}`);
            return status === "successful" ? true : undefined;
        },
        io,
        pauseMs,
    );
    const inventoryId = await api.ensure("/inventories/", "localhost", {
        description: "Local execution",
        organization: organizationId,
    });
    await api.ensure(`/inventories/${inventoryId}/hosts/`, "localhost", {
        variables: "ansible_connection: local\nansible_python_interpreter: /usr/bin/python3",
    });
    for (const template of flags.templates) {
        await api.ensure("/job_templates/", template.name, {
            description: template.description,
            project: projectId,
            inventory: inventoryId,
            playbook: template.playbook,
            ask_variables_on_launch: true,
            ...(template.askCredential ? { ask_credential_on_launch: true } : {}),
        });
    }
    const token = await api.call("POST", "/users/1/personal_tokens/", {
        description: "Kubernaut WorkflowExecution controller (kubernaut-e2e)",
        scope: "write",
    });
    if (token.status !== 201 || typeof token.json.token !== "string")
        throw new Error(`awx configure: AWX did not issue a token: HTTP ${token.status}`);
    return { organizationId, projectId, token: token.json.token };
}

async function configure(flags: Flags, io: StepIO): Promise<number> {
    if (isDryRun(flags, io.env)) {
        io.out(JSON.stringify({ dryRun: true, url: flags.url, templates: flags.templates.map((t) => t.name) }));
        return 0;
    }
    const password = fs.readFileSync(0, "utf8").trim();
    if (!password) throw new Error("awx configure: the admin password must come on standard input");
    const result = await configureAwx(flags, password, io);
    io.log(
        `awx configure: organization ${result.organizationId}, project ${result.projectId}, ${flags.templates.length} job templates`,
    );
    io.out(JSON.stringify(result));
    return 0;
}

export const run = verbs("awx", "Configure AWX for the WorkflowExecution controller's Ansible engine.", {
    configure: verbSpec("awx", "configure", configure),
});

if (isMain(import.meta.url)) await main("awx", run);
