import type { ReactNode } from "react";
import { PHASE_LABELS, type JamPhase } from "~/domain/phase";
import { formatNumber } from "~/domain/numbers";

export function PhaseBadge({ phase }: { phase: JamPhase }) {
  return <span className={`badge badge--${phase}`}>{PHASE_LABELS[phase]}</span>;
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

export function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <div className="stat__value">{formatNumber(value)}</div>
      <div className="stat__label">{label}</div>
    </div>
  );
}

export function Alert({ kind = "info", children }: { kind?: "info" | "warn" | "error"; children: ReactNode }) {
  return (
    <div className={`alert alert--${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function plural(n: number, one: string, many = `${one}s`) {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** A table that may scroll sideways on a phone: a labelled region reachable by keyboard. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
