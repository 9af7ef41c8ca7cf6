import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { isExempt, loadShedding, shouldShed } from "./shedding.js";

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
