import type { RequestHandler } from "express";

export function isStaticFile(path: string): boolean;
export function isExempt(path: string): boolean;
export function isStream(path: string): boolean;
export type ShedDecision = { shed: false } | { shed: true; reason: "in-flight" | "event-loop-lag"; retryAfterSeconds: number };
export function shouldShed(s: { path: string; inFlight: number; lagMs: number; maxInFlight: number; maxLagMs: number }): ShedDecision;
export function sustainedLag(lags: number[], windows: number): number;
export function windowLag(turns: { delay: number; took: number }[]): number;
export function loadShedding(options?: {
  maxInFlight?: number;
  maxLagMs?: number;
  log?: (line: string) => void;
  lag?: () => number;
}): RequestHandler & { inFlight(): number };
