/**
 * The raw baseline of the SSE benchmark: a bare node:http Server-Sent Events
 * server, no framework, no session, no database. `GET /events` holds a stream
 * open; `POST /publish` writes the same two frames Jamboree sends for a new
 * idea (idea.created, then points.changed) to every open stream, each frame
 * encoded once, then answers 302 with `Location: /ideas/<id>` as Jamboree does.
 *
 *   PORT=3399 HOST=127.0.0.1 node --import tsx tests/bench/sse-raw-server.ts
 */
import http from "node:http";

const port = Number(process.env.PORT ?? 3399);
const host = process.env.HOST ?? "127.0.0.1";

const streams = new Set<http.ServerResponse>();
let nextEventId = 1;
let nextIdeaId = 1;

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url?.startsWith("/events")) {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
    });
    res.write("retry: 3000\n: connected\n\n");
    streams.add(res);
    res.on("close", () => streams.delete(res));
    return;
  }
  if (req.method === "POST" && req.url === "/publish") {
    req.resume();
    req.on("end", () => {
      const ideaId = nextIdeaId++;
      const created = `id: ${nextEventId++}\nevent: idea.created\ndata: ${JSON.stringify({ ideaId, challengeId: 1 })}\n\n`;
      const points = `id: ${nextEventId++}\nevent: points.changed\ndata: {}\n\n`;
      for (const stream of streams) stream.write(created);
      for (const stream of streams) stream.write(points);
      res.writeHead(302, { Location: `/ideas/${ideaId}`, "Content-Length": "0" });
      res.end();
    });
    return;
  }
  if (req.url === "/healthz") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ status: "ok", streams: streams.size }));
    return;
  }
  res.writeHead(404).end();
});

server.listen(port, host, () => console.log(`raw SSE server listening on http://${host}:${port}`));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
