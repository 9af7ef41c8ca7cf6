import type { RequestHandler } from "express";

export function isStaticFile(path: string): boolean;
export function isExempt(path: string): boolean;
export function isStream(path: string): boolean;
export const LEASE_MS: number;
export const REFUSAL_PAUSE_MS: number;

export interface Ticket {
  done(): void;
  /** How long it waited in the queue (ms): 0 when it ran at once. */
  waitedMs: number;
}
export type Arrival =
  | { decision: "run"; ticket: Ticket }
  | { decision: "queued"; cancel(): void }
  | { decision: "refused" };
export interface Admission {
  arrive(kind: "read" | "write", handlers: { run(ticket: Ticket): void; refuse(): void }): Arrival;
  tick(): void;
  waiting(): number;
  running(): number;
  overloaded(): boolean;
  turnMs(): number;
  stats(): { ran: number; refusedOnArrival: number; refusedInQueue: number };
}
export function createAdmission(options: { limit: number; targetMs: number; burstMs: number; now?: () => number; leaseMs?: number }): Admission;
export function admissionControl(options?: {
  limit?: number;
  targetMs?: number;
  burstMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}): {
  /** GET and HEAD: mounted first of all. */
  pages: RequestHandler;
  /** Every other method: mounted once the body is read. */
  writes: RequestHandler;
  core: Admission;
  settings: { limit: number; targetMs: number; burstMs: number };
};
