// autocannon 8 ships no types: the little load-client.ts uses.
declare module "autocannon" {
  interface Histogram { average: number; p50: number; p99: number; max: number; total: number }
  export interface Result {
    requests: Histogram;
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    statusCodeStats?: Record<string, { count: number }>;
  }
  interface Instance {
    on(event: "done", listener: (result: Result) => void): Instance;
    on(event: "error", listener: (error: Error) => void): Instance;
    on(event: "response", listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): Instance;
  }
  function autocannon(options: Record<string, unknown>): Instance;
  export default autocannon;
}
