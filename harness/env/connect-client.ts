import { waitFor } from "../util/wait.js";

/** The few Kafka Connect REST calls dgh needs: register a connector (idempotent PUT), wait until it runs, remove it. */
export class ConnectClient {
  constructor(readonly url: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method,
      signal: AbortSignal.timeout(10_000),
      headers: body ? { "content-type": "application/json" } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  async putConnector(name: string, config: Record<string, string>): Promise<void> {
    const r = await this.call("PUT", `/connectors/${name}/config`, config);
    if (!r.ok) throw new Error(`Kafka Connect refused connector ${name} (HTTP ${r.status}): ${await r.text()}`);
  }

  async status(name: string): Promise<{ connector?: { state: string }; tasks?: { state: string; trace?: string }[] }> {
    const r = await this.call("GET", `/connectors/${name}/status`);
    return r.ok ? (r.json() as never) : {};
  }

  /** Until the connector and its first task are RUNNING; a FAILED task's trace is in the error. */
  async waitRunning(name: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `connector ${name} to run`,
      async () => {
        const s = await this.status(name);
        const task = s.tasks?.[0];
        if (task?.state === "FAILED") throw new Error(`connector ${name} task failed: ${task.trace?.split("\n")[0]}`);
        return s.connector?.state === "RUNNING" && task?.state === "RUNNING";
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  async deleteConnector(name: string): Promise<void> {
    await this.call("DELETE", `/connectors/${name}`);
  }
}
