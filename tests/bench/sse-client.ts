/**
 * The client side of the SSE benchmark (sse.bench.ts forks it, so it runs in
 * its own process and its own event loop). It opens many Server-Sent Events
 * connections on raw sockets, posts events at a fixed rate (node:http with a
 * keep-alive agent), and records when each connection received each
 * `idea.created` frame. Posting from this process too means the send time and
 * the receive times come from one monotonic clock.
 *
 * Messages from the parent: `connect`, `run`, `close`, `exit`; each is answered
 * with one message of the same `type`.
 */
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";

export interface ConnectCommand {
  type: "connect";
  port: number;
  path: string;
  /** Cookie header values, used round-robin (empty: no cookie). */
  cookies: string[];
  count: number;
  /** How many connection attempts may be in flight at once. */
  parallel: number;
  timeoutMs: number;
}

export interface RunCommand {
  type: "run";
  port: number;
  /** The POST that makes the server publish one idea.created; its 302 Location ends with the idea id. */
  path: string;
  headers: Record<string, string>;
  /** Cookie header values, one per POST round-robin (several people posting). */
  cookies: string[];
  /** Form fields; `{i}` in a value is replaced by the event number. */
  fields: Record<string, string>;
  events: number;
  perSecond: number;
  /** How long to wait for stragglers after the last POST answered. */
  drainMs: number;
}

export interface ConnectResult {
  type: "connect";
  connected: number;
  failed: number;
  failures: Record<string, number>;
  ms: number;
  clientRssMb: number;
}

export interface RunResult {
  type: "run";
  posted: number;
  postErrors: string[];
  postMs: number[];
  /** Delivery delays in ms (receive time minus POST send time), one per (connection, event) received. */
  delays: number[];
  /** Per event: last receive minus first receive across connections (the fan-out spread). */
  spreads: number[];
  expected: number;
  missed: number;
  framesReceived: number;
  bytesReceived: number;
  ms: number;
  clientCpuMs: number;
  clientSysMs: number;
  clientRssMb: number;
}

type Command = ConnectCommand | RunCommand | { type: "close" } | { type: "exit" };

interface Connection {
  socket: net.Socket;
  index: number;
  /** Text after the last complete frame (a frame can straddle two reads). */
  carry: string;
  /** Its `: connected` preamble arrived. */
  ok: boolean;
}

const connections: Connection[] = [];
/** Per idea id, receive time on each connection (NaN: not yet). */
const received = new Map<number, Float64Array>();
let framesReceived = 0;
/** (connection, idea) pairs received so far: the run is complete when it reaches ideas × connections. */
let pairsReceived = 0;
let bytesReceived = 0;
let onFrame: (() => void) | null = null;

const postAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function send(message: ConnectResult | RunResult | { type: "close"; closed: number } | { type: "error"; error: string }) {
  process.send!(message);
}

const rssMb = () => process.memoryUsage().rss / 1048576;

/** Reads land here, one socket at a time (onread callbacks are synchronous). */
const readBuffer = Buffer.alloc(64 * 1024);

const IDEA_CREATED = 'event: idea.created\ndata: {"ideaId":';

/**
 * Scans the complete frames in `text` (raw socket text: chunked-encoding size
 * lines sit between frames, never inside one, since servers write a frame at a
 * time). Kept cheap on purpose: the client must not be the bottleneck.
 */
function scan(conn: Connection, text: string, at: number) {
  let pos = 0;
  while ((pos = text.indexOf("\nevent: ", pos)) >= 0) {
    framesReceived++;
    if (text.startsWith(IDEA_CREATED, pos + 1)) {
      let i = pos + 1 + IDEA_CREATED.length;
      let ideaId = 0;
      for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) ideaId = ideaId * 10 + (c - 48);
      let times = received.get(ideaId);
      if (!times) {
        times = new Float64Array(connections.length).fill(Number.NaN);
        received.set(ideaId, times);
      }
      if (Number.isNaN(times[conn.index]!)) {
        times[conn.index] = at;
        pairsReceived++;
      }
    }
    pos += 8;
  }
}

/**
 * Opens the SSE connections on raw sockets (a hand-written GET; the response is
 * scanned as text), at most `parallel` attempts in flight. A connection counts
 * once its `: connected` preamble has arrived.
 */
function connect(cmd: ConnectCommand): Promise<ConnectResult> {
  const started = performance.now();
  let next = 0;
  let inFlight = 0;
  let connected = 0;
  let failed = 0;
  const failures: Record<string, number> = {};
  return new Promise((resolve) => {
    const done = () =>
      resolve({ type: "connect", connected, failed, failures, ms: performance.now() - started, clientRssMb: rssMb() });
    const launch = () => {
      while (inFlight < cmd.parallel && next < cmd.count) {
        const index = next++;
        inFlight++;
        let settled = false;
        let headerDone = false;
        const settle = (ok: boolean, why = "") => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          inFlight--;
          conn.ok = ok;
          if (ok) connected++;
          else {
            failed++;
            failures[why] = (failures[why] ?? 0) + 1;
            socket.destroy();
          }
          if (connected + failed === cmd.count) done();
          else launch();
        };
        // `onread` with one shared buffer: no allocation and no stream machinery per read.
        const socket = net.connect({
          host: "127.0.0.1",
          port: cmd.port,
          onread: {
            buffer: readBuffer,
            callback: (nread: number, buffer: Uint8Array) => {
              onRead(nread, buffer);
              return true;
            },
          },
        });
        socket.setNoDelay(true);
        const conn: Connection = { socket, index, carry: "", ok: false };
        connections[index] = conn;
        const timer = setTimeout(() => settle(false, "timeout"), cmd.timeoutMs);
        const cookie = cmd.cookies.length > 0 ? `Cookie: ${cmd.cookies[index % cmd.cookies.length]}\r\n` : "";
        socket.write(
          `GET ${cmd.path} HTTP/1.1\r\nHost: 127.0.0.1:${cmd.port}\r\nAccept: text/event-stream\r\n` +
            `Cache-Control: no-cache\r\nConnection: keep-alive\r\n${cookie}\r\n`,
        );
        const onRead = (nread: number, buffer: Uint8Array) => {
          const at = performance.now();
          bytesReceived += nread;
          let text = conn.carry + (buffer as Buffer).toString("latin1", 0, nread);
          if (!headerDone) {
            const end = text.indexOf("\r\n\r\n");
            if (end < 0) {
              conn.carry = text;
              return;
            }
            const status = Number(text.slice(9, 12));
            if (status !== 200) {
              settle(false, `status ${status}`);
              return;
            }
            headerDone = true;
            text = text.slice(end + 4);
          }
          const last = text.lastIndexOf("\n\n");
          if (last < 0) {
            conn.carry = text;
            return;
          }
          conn.carry = text.slice(last + 2);
          const complete = text.slice(0, last + 2);
          if (!settled && complete.includes("\n: connected\n")) settle(true);
          scan(conn, complete, at);
          onFrame?.();
        };
        socket.on("error", (error: NodeJS.ErrnoException) => settle(false, error.code ?? error.message));
        socket.on("close", () => settle(false, "closed by the server"));
      }
    };
    if (cmd.count === 0) done();
    else launch();
  });
}

function post(cmd: RunCommand, i: number): Promise<{ ideaId: number; sentAt: number; ms: number }> {
  const body = new URLSearchParams(
    Object.fromEntries(Object.entries(cmd.fields).map(([k, v]) => [k, v.replaceAll("{i}", String(i))])),
  ).toString();
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const req = http.request(
      {
        host: "127.0.0.1",
        port: cmd.port,
        path: cmd.path,
        method: "POST",
        agent: postAgent,
        headers: {
          ...cmd.headers,
          ...(cmd.cookies.length > 0 ? { Cookie: cmd.cookies[i % cmd.cookies.length]! } : {}),
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          const location = res.headers.location ?? "";
          const match = /\/ideas\/(\d+)$/.exec(location);
          if (res.statusCode !== 302 || !match) reject(new Error(`POST ${i}: status ${res.statusCode}, location "${location}"`));
          else resolve({ ideaId: Number(match[1]), sentAt, ms: performance.now() - sentAt });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function run(cmd: RunCommand): Promise<RunResult> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const frames0 = framesReceived;
  const bytes0 = bytesReceived;
  const postErrors: string[] = [];
  const sent: { ideaId: number; sentAt: number; ms: number }[] = [];
  const interval = 1000 / cmd.perSecond;
  const posts: Promise<void>[] = [];
  for (let i = 0; i < cmd.events; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    posts.push(
      post(cmd, i).then(
        (r) => void sent.push(r),
        (error: Error) => void postErrors.push(error.message),
      ),
    );
  }
  await Promise.all(posts);

  const live = connections.filter((c) => c?.ok).length;
  // Only this run's ideas reach the streams (nothing else is posted while they are open).
  const complete = () => pairsReceived >= sent.length * live;
  if (!complete()) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        onFrame = null;
        resolve();
      }, cmd.drainMs);
      onFrame = () => {
        if (!complete()) return;
        clearTimeout(timer);
        onFrame = null;
        resolve();
      };
    });
  }

  const delays: number[] = [];
  const spreads: number[] = [];
  let missed = 0;
  for (const { ideaId, sentAt } of sent) {
    const times = received.get(ideaId);
    if (!times) {
      missed += live;
      continue;
    }
    let first = Infinity;
    let last = -Infinity;
    for (const [index, t] of times.entries()) {
      if (!connections[index]?.ok) continue;
      if (Number.isNaN(t)) {
        missed++;
        continue;
      }
      delays.push(t - sentAt);
      if (t < first) first = t;
      if (t > last) last = t;
    }
    if (last >= first) spreads.push(last - first);
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    type: "run",
    posted: sent.length,
    postErrors,
    postMs: sent.map((s) => s.ms),
    delays,
    spreads,
    expected: sent.length * live,
    missed,
    framesReceived: framesReceived - frames0,
    bytesReceived: bytesReceived - bytes0,
    ms: performance.now() - started,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    clientSysMs: cpu.system / 1000,
    clientRssMb: rssMb(),
  };
}

function closeAll(): number {
  let closed = 0;
  for (const conn of connections) {
    if (!conn) continue;
    conn.socket.destroy();
    closed++;
  }
  connections.length = 0;
  received.clear();
  postAgent.destroy();
  return closed;
}

process.on("message", (cmd: Command) => {
  void (async () => {
    try {
      if (cmd.type === "connect") send(await connect(cmd));
      else if (cmd.type === "run") send(await run(cmd));
      else if (cmd.type === "close") send({ type: "close", closed: closeAll() });
      else if (cmd.type === "exit") {
        closeAll();
        process.exit(0);
      }
    } catch (error) {
      send({ type: "error", error: String((error as Error)?.stack ?? error) });
    }
  })();
});
// The parent went away: do not linger.
process.on("disconnect", () => {
  closeAll();
  process.exit(0);
});
