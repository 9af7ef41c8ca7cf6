// Preloaded into the server by soak.ts (node --import): writes V8 heap figures to
// stderr every 5 s as one "HEAP {json}" line. The timer is unref'd, so it never
// keeps the process alive.
setInterval(() => {
  const m = process.memoryUsage();
  process.stderr.write(`HEAP ${JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, rss: m.rss })}\n`);
}, 5000).unref();
