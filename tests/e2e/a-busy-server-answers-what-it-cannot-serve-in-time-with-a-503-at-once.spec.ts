import { expect, test } from "@playwright/test";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { extraServerPort, startServer } from "./fixtures";

/**
 * A server of the test's own that runs one page at a time and lets a request wait at most
 * 200 ms, hit by 300 page requests at once (more than it can serve in 200 ms: a page costs a
 * few ms of CPU). It serves what it can, answers the rest 503 with Retry-After instead of
 * keeping them waiting, answers its health check all along, and a form post sent during the
 * burst goes ahead of the queued pages.
 */

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
  ms: number;
}

function get(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", agent: false, headers: options.headers },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"], body, ms: performance.now() - started }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

test("a busy server serves what it can, answers the rest 503 with Retry-After at once, keeps answering its health check and lets a form post go first", async ({}, testInfo) => {
  const port = extraServerPort(testInfo, 0);
  const server = await startServer(port, { ADMIT_CONCURRENCY: "1", QUEUE_TARGET_MS: "200", QUEUE_BURST_MS: "200" });
  try {
    // Warm up: the first render of a page costs more than the next ones.
    for (let i = 0; i < 3; i++) expect((await get(port, "/login")).status).toBe(200);

    const burst = Array.from({ length: 300 }, () => get(port, "/login"));
    const health = Array.from({ length: 5 }, () => get(port, "/healthz"));
    // A form post (signing out, with no session: it changes nothing and redirects) in the middle of the burst.
    const origin = `http://127.0.0.1:${port}`;
    const post = get(port, "/logout", {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: "x=1",
    });
    const answers = await Promise.all(burst);

    // Every request got an answer: nothing timed out or was dropped.
    expect(answers).toHaveLength(300);
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 503);
    expect(served.length + refused.length, `statuses: ${[...new Set(answers.map((a) => a.status))].join(", ")}`).toBe(300);
    // It served some, and far from all: 300 pages do not fit in 200 ms of waiting one at a time.
    expect(served.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(100);
    for (const answer of refused) {
      expect(answer.retryAfter).toBe("2");
      expect(answer.body).toContain("The server is busy");
    }
    // Refusals do not wait behind the pages: the first came back while pages were still being served.
    expect(Math.min(...refused.map((a) => a.ms))).toBeLessThan(Math.max(...served.map((a) => a.ms)));

    for (const answer of await Promise.all(health)) expect(answer.status).toBe(200);
    const posted = await post;
    expect(posted.status, posted.body.slice(0, 200)).toBe(302);

    // Once the burst has passed, pages are served again.
    expect((await get(port, "/login")).status).toBe(200);
  } finally {
    server.kill("SIGTERM");
  }
});
