import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { admissionControl, createAdmission, isExempt, LEASE_MS, REFUSAL_PAUSE_MS } from "./admission.js";

/** A fake clock and a log of what happened to each request, by name. */
function setup(options: { limit: number; targetMs?: number; burstMs?: number }) {
  let t = 0;
  const core = createAdmission({ limit: options.limit, targetMs: options.targetMs ?? 100, burstMs: options.burstMs ?? 500, now: () => t });
  const events: string[] = [];
  const tickets = new Map<string, { done(): void }>();
  const arrive = (name: string, kind: "read" | "write" = "read") => {
    const arrival = core.arrive(kind, {
      run: (ticket) => {
        tickets.set(name, ticket);
        events.push(`run ${name}`);
      },
      refuse: () => events.push(`refuse ${name}`),
    });
    if (arrival.decision === "run") {
      tickets.set(name, arrival.ticket);
      events.push(`run ${name}`);
    }
    if (arrival.decision === "refused") events.push(`refuse ${name} at once`);
    return arrival;
  };
  const finish = (name: string) => tickets.get(name)!.done();
  return {
    core,
    events,
    arrive,
    finish,
    advance: (ms: number) => (t += ms),
  };
}

describe("admission: a few at a time, the rest wait their turn", () => {
  it("runs up to the limit at once and the others in the order they came", () => {
    const s = setup({ limit: 2 });
    for (const name of ["a", "b", "c", "d"]) s.arrive(name);
    expect(s.events).toEqual(["run a", "run b"]);
    expect(s.core.waiting()).toBe(2);
    s.advance(5);
    s.finish("b");
    s.finish("b"); // finish and close both fire: counted once
    expect(s.events).toEqual(["run a", "run b", "run c"]);
    s.finish("a");
    expect(s.events.at(-1)).toBe("run d");
    expect(s.core.waiting()).toBe(0);
    expect(s.core.running()).toBe(2);
  });

  it("absorbs a burst it can serve within the burst bound, and refuses at once what would wait longer", () => {
    const s = setup({ limit: 1, targetMs: 100, burstMs: 500 });
    // Teach it that a request holds its turn 10 ms.
    for (let i = 0; i < 60; i++) {
      s.arrive(`warm${i}`);
      s.advance(10);
      s.finish(`warm${i}`);
    }
    expect(s.core.turnMs()).toBeCloseTo(10, 0);
    s.events.length = 0;
    s.arrive("running");
    for (let i = 0; i < 60; i++) s.arrive(`q${i}`);
    const refusedAtOnce = s.events.filter((e) => e.endsWith("at once")).length;
    // 500 ms of queue at 10 ms a turn: about 50 wait, the other 10 are told at once.
    expect(s.core.waiting()).toBeGreaterThanOrEqual(48);
    expect(s.core.waiting()).toBeLessThanOrEqual(50);
    expect(refusedAtOnce).toBe(60 - s.core.waiting());
    expect(s.events.find((e) => e.startsWith("refuse q") && !e.endsWith("at once"))).toBeUndefined();
  });

  it("under sustained overload lets requests wait only the target, refusing them when their turn comes too late", () => {
    const s = setup({ limit: 1, targetMs: 100, burstMs: 500 });
    s.arrive("first");
    s.arrive("a"); // the queue is fresh: a may wait up to 500 ms
    s.advance(300);
    s.arrive("b"); // still within the first 500 ms: up to 500 ms too
    s.advance(200);
    // The queue has not emptied for 500 ms: more arrives than is served. From now on, 100 ms.
    expect(s.core.overloaded()).toBe(true);
    s.arrive("c");
    s.advance(50);
    s.finish("first"); // a waited 550 ms: refused, not run; b (250 ms) runs
    expect(s.events).toEqual(["run first", "refuse a", "run b"]);
    s.advance(150);
    s.finish("b"); // c waited 200 ms, past its 100 ms: refused; the queue is empty again
    expect(s.events.slice(-1)).toEqual(["refuse c"]);
    s.arrive("d");
    expect(s.events.at(-1)).toBe("run d");
  });

  it("under sustained overload refuses at once what could not be served within the target", () => {
    const s = setup({ limit: 1, targetMs: 100, burstMs: 500 });
    for (let i = 0; i < 60; i++) {
      s.arrive(`warm${i}`);
      s.advance(10);
      s.finish(`warm${i}`);
    }
    s.arrive("running");
    s.arrive("waiting");
    s.advance(500);
    expect(s.core.overloaded()).toBe(true);
    s.events.length = 0;
    for (let i = 0; i < 20; i++) s.arrive(`new${i}`);
    // A turn frees every 10 ms: about 100 ms of queue is let in, the rest told at once.
    expect(s.core.waiting()).toBeGreaterThanOrEqual(9);
    expect(s.core.waiting()).toBeLessThanOrEqual(10);
    expect(s.events.filter((e) => e.endsWith("at once"))).toHaveLength(21 - s.core.waiting());
  });

  it("goes back to absorbing bursts once the queue has stayed empty for the target", () => {
    const s = setup({ limit: 1, targetMs: 100, burstMs: 500 });
    s.arrive("a");
    s.arrive("b");
    s.advance(600);
    expect(s.core.overloaded()).toBe(true);
    s.finish("a");
    expect(s.events.at(-1)).toBe("refuse b"); // waited 600 ms > 500
    expect(s.core.waiting()).toBe(0);
    s.advance(99);
    expect(s.core.overloaded()).toBe(true);
    s.advance(1);
    expect(s.core.overloaded()).toBe(false);
  });

  it("a queue that empties for a moment under sustained overload does not win back the burst allowance", () => {
    const s = setup({ limit: 1, targetMs: 100, burstMs: 500 });
    s.arrive("a");
    s.arrive("b");
    s.advance(550);
    s.finish("a"); // b is refused (waited 550 ms): the queue is empty for a moment
    s.arrive("c"); // runs at once
    s.advance(20);
    s.arrive("d"); // queued 20 ms after the queue emptied: still overloaded, so 100 ms at most
    s.advance(150);
    s.finish("c");
    expect(s.events).toEqual(["run a", "refuse b", "run c", "refuse d"]);
  });

  it("a queued request is refused by tick() once past its bound, even when no turn frees", () => {
    const s = setup({ limit: 1, targetMs: 100, burstMs: 200 });
    s.arrive("stuck");
    s.arrive("waiting");
    s.advance(150);
    s.core.tick();
    expect(s.events).toEqual(["run stuck"]);
    s.advance(60);
    s.core.tick();
    expect(s.events).toEqual(["run stuck", "refuse waiting"]);
  });

  it("a request holding its turn longer than the lease stops blocking the queue", () => {
    const s = setup({ limit: 1, targetMs: 2_000, burstMs: 2_000 });
    s.arrive("slow-reader");
    s.arrive("next");
    s.advance(LEASE_MS);
    s.core.tick();
    expect(s.events).toEqual(["run slow-reader", "run next"]);
    s.finish("slow-reader"); // its end frees no second turn
    expect(s.core.running()).toBe(1);
  });

  it("a request whose client left while it waited leaves the queue", () => {
    const s = setup({ limit: 1 });
    s.arrive("a");
    const b = s.arrive("b");
    s.arrive("c");
    if (b.decision !== "queued") throw new Error("b should wait");
    b.cancel();
    s.finish("a");
    expect(s.events).toEqual(["run a", "run c"]);
  });
});

describe("admission: writes and page reads take turns", () => {
  it("a write waits behind at most as many reads as writes ahead of it, however many reads wait", () => {
    const s = setup({ limit: 1 });
    s.arrive("page");
    for (let i = 0; i < 5; i++) s.arrive(`read${i}`);
    s.arrive("post1", "write");
    s.arrive("post2", "write");
    for (const name of ["page", "post1", "read0", "post2", "read1"]) s.finish(name);
    expect(s.events).toEqual(["run page", "run post1", "run read0", "run post2", "run read1", "run read2"]);
  });

  /**
   * Requests holding their turn 10 ms, 2 at a time, for 3 s; `reads` and `writes` arrive per ms
   * (or every `every` ms): what was served and refused of each.
   */
  function flood({ reads, writes, everyWrite = 1 }: { reads: number; writes: number; everyWrite?: number }) {
    const s = setup({ limit: 2, targetMs: 100, burstMs: 500 });
    const served = { read: 0, write: 0 };
    const refused = { read: 0, write: 0 };
    const running: { name: string; until: number }[] = [];
    const kinds = new Map<string, "read" | "write">();
    let n = 0;
    for (let t = 0; t < 3_000; t++) {
      s.advance(1);
      for (const r of running.filter((r) => r.until <= t)) {
        running.splice(running.indexOf(r), 1);
        served[kinds.get(r.name)!]++;
        s.finish(r.name);
      }
      s.core.tick();
      const arrivals: ("read" | "write")[] = [...Array(reads).fill("read"), ...(t % everyWrite === 0 ? Array(writes).fill("write") : [])];
      for (const kind of arrivals) {
        const name = `${kind}${n++}`;
        kinds.set(name, kind);
        s.arrive(name, kind);
      }
      for (const e of s.events.splice(0)) {
        const [what, name] = e.split(" ");
        if (what === "run") running.push({ name: name!, until: t + 10 });
        else refused[kinds.get(name!)!]++;
      }
    }
    return { served, refused };
  }

  it("under a flood of page reads, every write still gets its turn", () => {
    // 3 reads a ms (15 times what 2 at a time every 10 ms serve), a write every 50 ms.
    const { served, refused } = flood({ reads: 3, writes: 1, everyWrite: 50 });
    expect(served.read + served.write).toBeGreaterThan(560); // about 600 in 3 s
    expect(refused.write).toBe(0);
    expect(served.write).toBeGreaterThanOrEqual(59);
    expect(refused.read).toBeGreaterThan(8_000);
  });

  it("under a flood of writes, page reads still get every other turn", () => {
    // 2 writes a ms (a sign-in form posted by a script, 10 times what is served) ...
    const { refused } = flood({ reads: 0, writes: 2 });
    // ... and page reads arriving besides, 1 a ms.
    const mixed = flood({ reads: 1, writes: 2 });
    expect(mixed.served.read).toBeGreaterThan(250); // about half of the 600 turns
    expect(mixed.served.write).toBeGreaterThan(250);
    expect(refused.write).toBeGreaterThan(5_000);
  });
});

/**
 * One thread shared by the running requests (each needs `cpuMs` of it; n running each get 1/n),
 * requests arriving evenly at `factor` times the rate it can serve: served rate and waits.
 */
function simulate({ limit, cpuMs, factor, seconds, targetMs = 100, burstMs = 500 }: { limit: number; cpuMs: number; factor: number; seconds: number; targetMs?: number; burstMs?: number }) {
  let t = 0;
  const core = createAdmission({ limit, targetMs, burstMs, now: () => t });
  const running: { left: number; arrived: number; ticket?: { done(): void } }[] = [];
  const latencies: number[] = [];
  const steady: number[] = [];
  let refused = 0;
  const dt = 0.1;
  const every = cpuMs / factor;
  let nextArrival = 0;
  for (; t < seconds * 1000; t += dt) {
    while (nextArrival <= t) {
      const req: { left: number; arrived: number; ticket?: { done(): void } } = { left: cpuMs, arrived: t };
      const arrival = core.arrive("read", { run: (ticket) => ((req.ticket = ticket), running.push(req)), refuse: () => refused++ });
      if (arrival.decision === "run") ((req.ticket = arrival.ticket), running.push(req));
      if (arrival.decision === "refused") refused++;
      nextArrival += every;
    }
    if (running.length > 0) {
      const share = dt / running.length;
      for (const r of [...running]) {
        r.left -= share;
        if (r.left <= 0) {
          running.splice(running.indexOf(r), 1);
          latencies.push(t - r.arrived);
          if (r.arrived >= 1_000) steady.push(t - r.arrived);
          r.ticket!.done();
        }
      }
    }
    core.tick();
  }
  const p99 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(0.99 * xs.length)]!;
  return { servedPerS: latencies.length / seconds, capacityPerS: 1000 / cpuMs, p99: p99(latencies), steadyP99: p99(steady), refused };
}

describe("admission under four times the load it can serve (simulated thread, fake time)", () => {
  it("serves at nearly the full rate and the served answers' p99 stays near the target plus their own time", () => {
    const r = simulate({ limit: 4, cpuMs: 5, factor: 4, seconds: 10 });
    expect(r.servedPerS / r.capacityPerS).toBeGreaterThan(0.97);
    // The first half second is a burst that may wait up to 500 ms; after it, 100 ms + 4 x 5 ms.
    expect(r.p99).toBeLessThan(500 + 4 * 5);
    expect(r.steadyP99).toBeLessThan(100 + 4 * 5 + 5);
    // Three in four are refused, nearly all at once.
    expect(r.refused / (r.refused + r.servedPerS * 10)).toBeGreaterThan(0.7);
  });

  it("without a limit (everything in at once) the same load makes every answer late", () => {
    const r = simulate({ limit: 100_000, cpuMs: 5, factor: 2, seconds: 5 });
    expect(r.p99).toBeGreaterThan(2_000);
  });
});

describe("paths never queued", () => {
  it("are the health check and static files", () => {
    for (const path of ["/healthz", "/assets/root-abc123.js", "/assets/app.css", "/favicon.ico", "/logo.svg"]) expect(isExempt(path)).toBe(true);
    expect(isExempt("/jams/e2e-live/ideas.csv")).toBe(false);
    expect(isExempt("/__manifest")).toBe(false);
  });
});

/** A minimal Node request/response pair. */
function exchange(path: string, method = "GET") {
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as string | undefined,
    headersSent: false,
    destroyed: false,
    writeHead(code: number, headers: Record<string, string>) {
      this.statusCode = code;
      this.headers = headers;
      this.headersSent = true;
      return this;
    },
    end(body: Buffer) {
      this.body = String(body);
      return this;
    },
  });
  return { req: { url: `${path}?q=1`, method }, res };
}

describe("the admission middleware", () => {
  afterEach(() => vi.useRealTimers());

  it("answers 503 with Retry-After at once when the queue is full, serves the queued in turn, and never queues the exempt paths", () => {
    let t = 0;
    const logs: string[] = [];
    const admit = admissionControl({ limit: 1, targetMs: 10, burstMs: 10, now: () => t, log: (l) => logs.push(l) });
    const run = (path: string, method = "GET") => {
      const { req, res } = exchange(path, method);
      let passed = false;
      admit.pages(req as never, res as never, () => (passed = true));
      return { res, passed: () => passed };
    };
    const a = run("/jams");
    expect(a.passed()).toBe(true);
    const b = run("/jams/x");
    expect(b.passed()).toBe(false); // waiting (a turn is guessed at 5 ms: two fit in 10 ms)
    const c = run("/jams/y");
    expect(c.passed()).toBe(false);
    const d = run("/jams/z");
    expect(d.res.statusCode).toBe(503);
    expect(d.res.headers["Retry-After"]).toBe("2");
    expect(d.res.headers["Cache-Control"]).toBe("no-store");
    expect(d.res.body).toMatch(/busy/);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/refused 1 request/);
    for (const path of ["/healthz", "/assets/entry.client-abc.js", "/favicon.ico", "/jams/x/events"]) expect(run(path).passed()).toBe(true);
    // c's client goes away while it waits: it leaves the queue.
    c.res.emit("close");
    expect(admit.core.waiting()).toBe(1);
    t += 2;
    a.res.emit("finish");
    a.res.emit("close");
    expect(b.passed()).toBe(true);
    expect(c.passed()).toBe(false);
    expect(admit.core.waiting()).toBe(0);
  });

  it("refuses a queued request when its bound passes, from its own timer", async () => {
    vi.useFakeTimers();
    let t = 0;
    const admit = admissionControl({ limit: 1, targetMs: 20, burstMs: 20, now: () => t, log: () => {} });
    const first = exchange("/jams");
    admit.pages(first.req as never, first.res as never, () => {});
    const second = exchange("/jams");
    let passed = false;
    admit.pages(second.req as never, second.res as never, () => (passed = true));
    t = 30;
    await vi.advanceTimersByTimeAsync(20);
    expect(passed).toBe(false);
    expect(second.res.statusCode).toBe(503);
    expect(admit.core.waiting()).toBe(0);
  });

  it("lets writes by the page stage untouched and queues them, ahead of the reads waiting, once their body is in", () => {
    const admit = admissionControl({ limit: 1, targetMs: 100, burstMs: 100, log: () => {} });
    const through = (stage: "pages" | "writes", method: string) => {
      const { req, res } = exchange("/jams/x/challenges/1", method);
      let passed = false;
      admit[stage](req as never, res as never, () => (passed = true));
      return { res, passed: () => passed };
    };
    const page = through("pages", "GET");
    expect(through("writes", "GET").passed()).toBe(true); // a read is not queued twice
    const waitingRead = through("pages", "GET");
    const post = through("pages", "POST");
    expect(post.passed()).toBe(true); // not counted while its body is read
    expect(admit.core.running()).toBe(1);
    const write = through("writes", "POST");
    expect([waitingRead.passed(), write.passed()]).toEqual([false, false]);
    page.res.emit("finish");
    expect([waitingRead.passed(), write.passed()]).toEqual([false, true]);
    write.res.emit("finish");
    expect(waitingRead.passed()).toBe(true);
  });

  it("gives one connection at most one 503 per pause, so a client retrying at once cannot make refusals the main work", async () => {
    vi.useFakeTimers();
    let t = 0;
    const admit = admissionControl({ limit: 1, targetMs: 1, burstMs: 1, now: () => t, log: () => {} });
    const socket = {};
    const send = (from: object) => {
      const { req, res } = exchange("/jams");
      admit.pages(Object.assign(req, { socket: from }) as never, res as never, () => {});
      return res;
    };
    send({}); // runs, and holds the only turn
    const first = send(socket);
    expect(first.statusCode).toBe(503); // at once
    const again = send(socket);
    expect(again.headersSent).toBe(false); // the same connection, at once again: after the pause
    expect(send({}).statusCode).toBe(503); // another connection: at once
    await vi.advanceTimersByTimeAsync(REFUSAL_PAUSE_MS - 1);
    expect(again.headersSent).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(again.statusCode).toBe(503);
    expect(again.headers["Retry-After"]).toBe("2");
    // A client that waits the pause out is answered at once.
    await vi.advanceTimersByTimeAsync(REFUSAL_PAUSE_MS);
    expect(send(socket).statusCode).toBe(503);
  });

  it("takes its settings from the environment", () => {
    vi.stubEnv("ADMIT_CONCURRENCY", "3");
    vi.stubEnv("QUEUE_TARGET_MS", "150");
    vi.stubEnv("QUEUE_BURST_MS", "");
    try {
      expect(admissionControl({ log: () => {} }).settings).toEqual({ limit: 3, targetMs: 150, burstMs: 500 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
