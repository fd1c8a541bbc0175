// A real IM server for a test file: bin/im-server on free ports with a fresh data dir, stopped (killed) by stop().
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// compiled to dist-test/support/: the package root is two levels up, the repository root two more
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const IM_SERVER = resolve(packageRoot, "../../bin/im-server");
const START_TIMEOUT_MS = 180_000; // covers building the jar when it is missing or stale

export interface TestServer {
  wsPort: number;
  wsUrl: string;
  admin: AdminApi;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => ok(port));
    });
  });
}

export async function startServer(extraArgs: string[] = []): Promise<TestServer> {
  const [wsPort, adminPort, grpcPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), "im-ts-test-"));
  const adminToken = `test-admin-token-${process.pid}-${Date.now()}`;
  const logPath = join(dataDir, "server.log");
  const log = createWriteStream(logPath);
  const child = spawn(IM_SERVER, [
    "--ws-port", String(wsPort), "--ws-host", "127.0.0.1", "--admin-port", String(adminPort),
    "--grpc-port", String(grpcPort), "--data-dir", dataDir, "--admin-token", adminToken,
    // as the Java tests' servers: no command rate, since these tests pipeline hundreds of sends on one connection
    "--rate-conn-per-s", "1000000", "--rate-conn-burst", "1000000",
    "--rate-user-per-s", "1000000", "--rate-user-burst", "1000000", ...extraArgs,
  ], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  // the whole process group: a first start runs the Maven build before exec'ing the JVM
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => killGroup("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((ok) => child.once("exit", () => ok()));
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const adminUrl = `http://127.0.0.1:${adminPort}`;
  try {
    await waitHealthy(adminUrl, child);
  } catch (error) {
    const output = safeRead(logPath).slice(-4000);
    await stop();
    throw new Error(`${String(error)}\n--- server output ---\n${output}`);
  }
  return { wsPort, wsUrl: `ws://127.0.0.1:${wsPort}/ws`, admin: new AdminApi(adminUrl, adminToken), stop };
}

async function waitHealthy(adminUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`im-server exited with ${child.exitCode}`);
    try {
      const reply = await fetch(`${adminUrl}/healthz`);
      if (reply.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`im-server not healthy within ${START_TIMEOUT_MS} ms`);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The admin HTTP API (README.md, "Admin API"). */
export class AdminApi {
  constructor(
    private readonly baseUrl: string,
    private readonly adminToken: string,
  ) {}

  private async send<T>(method: string, path: string, body: unknown): Promise<T> {
    const reply = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await reply.text();
    if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async putApp(appId: number, name: string): Promise<void> {
    await this.send("PUT", `/apps/${appId}`, { name });
  }

  async putUser(appId: number, userId: number, nickname: string): Promise<void> {
    await this.send("PUT", `/apps/${appId}/users/${userId}`, { nickname });
  }

  async token(appId: number, userId: number, deviceId: number, ttlSeconds = 3600): Promise<string> {
    const reply = await this.send<{ token: string }>("POST", `/apps/${appId}/tokens`,
      { user_id: userId, device_id: deviceId, ttl_seconds: ttlSeconds });
    return reply.token;
  }

  async createGroup(appId: number, name: string, ownerId: number, memberIds: number[]): Promise<number> {
    const reply = await this.send<{ group_id: number }>("POST", `/apps/${appId}/groups`,
      { name, owner_id: ownerId, member_ids: memberIds });
    return reply.group_id;
  }
}
