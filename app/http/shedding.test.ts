import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { isExempt, loadShedding, shouldShed, sustainedLag, windowLag } from "./shedding.js";

const calm = { inFlight: 0, lagMs: 5, maxInFlight: 500, maxLagMs: 500 };

describe("load shedding decisions", () => {
  it("serves requests while the server keeps up", () => {
    expect(shouldShed({ ...calm, path: "/jams" })).toEqual({ shed: false });
    expect(shouldShed({ ...calm, path: "/jams", inFlight: 499 })).toEqual({ shed: false });
    expect(shouldShed({ ...calm, path: "/jams", lagMs: 500 })).toEqual({ shed: false });
  });

  it("sheds new requests when too many are in flight", () => {
    expect(shouldShed({ ...calm, path: "/jams", inFlight: 500 })).toEqual({ shed: true, reason: "in-flight", retryAfterSeconds: 2 });
  });

  it("sheds new requests when the event loop lags, asking to wait longer the worse it lags", () => {
    expect(shouldShed({ ...calm, path: "/jams/x", lagMs: 600 })).toEqual({ shed: true, reason: "event-loop-lag", retryAfterSeconds: 2 });
    expect(shouldShed({ ...calm, path: "/jams/x", lagMs: 4_000 })).toMatchObject({ retryAfterSeconds: 8 });
    expect(shouldShed({ ...calm, path: "/jams/x", lagMs: 60_000 })).toMatchObject({ retryAfterSeconds: 30 });
  });

  it("never sheds the health check or static files", () => {
    const overloaded = { ...calm, inFlight: 10_000, lagMs: 10_000 };
    for (const path of ["/healthz", "/assets/root-abc123.js", "/assets/app.css", "/favicon.ico", "/logo.svg"]) {
      expect(isExempt(path)).toBe(true);
      expect(shouldShed({ ...overloaded, path })).toEqual({ shed: false });
    }
    expect(isExempt("/jams/e2e-live/ideas.csv")).toBe(false);
    expect(isExempt("/__manifest")).toBe(false);
  });
});

describe("sustained lag", () => {
  it("weighs each turn of the loop by how long it took", () => {
    const quick = (n: number) => Array.from({ length: n }, () => ({ delay: 1, took: 21 }));
    expect(windowLag([])).toBe(0);
    expect(windowLag(quick(48))).toBe(1);
    // One 950 ms turn and a few quick ones: the loop spent the second behind.
    expect(windowLag([...quick(3), { delay: 950, took: 970 }])).toBe(950);
    // One 300 ms turn among 45 quick ones (945 ms): mostly on time.
    expect(windowLag([...quick(45), { delay: 300, took: 320 }])).toBe(1);
  });

  it("is the lowest of the last windows' lags, so one slow second is not queueing", () => {
    expect(sustainedLag([], 2)).toBe(0);
    expect(sustainedLag([2_000], 2)).toBe(0); // not enough evidence yet
    expect(sustainedLag([3, 900], 2)).toBe(3); // one long task
    expect(sustainedLag([900, 4], 2)).toBe(4); // the loop caught up
    expect(sustainedLag([3, 700, 900], 2)).toBe(700); // two slow seconds in a row
    expect(sustainedLag([700, 900, 800], 3)).toBe(700);
  });
});

/** Blocks this thread for `ms` (a long synchronous task). */
function busy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("load shedding on this process's real event loop", () => {
  it("a single long task with nothing queued does not shed the requests after it", async () => {
    const logs: string[] = [];
    const shed = loadShedding({ maxInFlight: 100, maxLagMs: 300, log: (l) => logs.push(l) });
    await pause(1_100); // one calm window
    busy(900);
    for (let second = 0; second < 3; second++) {
      await pause(400);
      const { req, res } = exchange("/jams");
      let passed = false;
      shed(req as never, res as never, () => (passed = true));
      expect(passed, `a request ${second} s after the long task`).toBe(true);
      res.emit("finish");
      await pause(600);
    }
    expect(logs).toEqual([]);
  });

  it("a loop kept busy by long tasks with short gaps (sustained queueing) sheds new requests", async () => {
    const shed = loadShedding({ maxInFlight: 100, maxLagMs: 300, log: () => {} });
    // 900 ms of work, then 50 ms free, for three seconds: quick timer turns fit in the gaps.
    const start = performance.now();
    while (performance.now() - start < 3_200) {
      busy(900);
      await pause(50);
    }
    const { req, res } = exchange("/jams");
    shed(req as never, res as never, () => {});
    expect(res.statusCode).toBe(503);
  });

  it("turns of the loop that keep waiting (sustained queueing) shed new requests", async () => {
    const shed = loadShedding({ maxInFlight: 100, maxLagMs: 300, log: () => {} });
    // Every turn of the loop waits behind 400 ms of work, for three seconds.
    const start = performance.now();
    while (performance.now() - start < 3_200) {
      busy(400);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { req, res } = exchange("/jams");
    shed(req as never, res as never, () => {});
    expect(res.statusCode).toBe(503);
  });
});

/** A minimal Express-like request/response pair. */
function exchange(path: string) {
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as string | undefined,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    set(name: string, value: string) {
      this.headers[name] = value;
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      this.body = body;
      return this;
    },
  });
  return { req: { path, method: "GET" }, res };
}

describe("the load shedding middleware", () => {
  it("answers 503 with Retry-After once the in-flight cap is reached, and again serves when requests finish", () => {
    const logs: string[] = [];
    const shed = loadShedding({ maxInFlight: 2, maxLagMs: 500, lag: () => 0, log: (l) => logs.push(l) });
    const run = (path: string) => {
      const { req, res } = exchange(path);
      let passed = false;
      shed(req as never, res as never, () => (passed = true));
      return { res, passed };
    };
    const a = run("/jams");
    const b = run("/jams");
    expect([a.passed, b.passed]).toEqual([true, true]);
    expect(shed.inFlight()).toBe(2);
    const c = run("/jams");
    expect(c.passed).toBe(false);
    expect(c.res.statusCode).toBe(503);
    expect(c.res.headers["Retry-After"]).toBe("2");
    expect(c.res.body).toMatch(/busy/);
    expect(logs).toHaveLength(1);
    // The health check and live streams go through and are not counted.
    expect(run("/healthz").passed).toBe(true);
    expect(run("/jams/x/events").passed).toBe(false); // still over the cap: a new stream is refused too
    // One request finishes (finish and close both fire: counted once).
    a.res.emit("finish");
    a.res.emit("close");
    expect(shed.inFlight()).toBe(1);
    expect(run("/jams").passed).toBe(true);
  });

  it("answers 503 while the event loop lags", () => {
    let lag = 900;
    const shed = loadShedding({ maxInFlight: 100, maxLagMs: 500, lag: () => lag, log: () => {} });
    const first = exchange("/jams");
    shed(first.req as never, first.res as never, () => {});
    expect(first.res.statusCode).toBe(503);
    lag = 10;
    let passed = false;
    const second = exchange("/jams");
    shed(second.req as never, second.res as never, () => (passed = true));
    expect(passed).toBe(true);
  });
});
