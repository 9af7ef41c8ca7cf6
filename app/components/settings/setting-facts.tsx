import type { ReactNode } from "react";

/** "Set up" or "Not set up" beside a section's heading. */
export function SetUpBadge({ on, off = "Not set up", label = "Set up" }: { on: boolean; off?: string; label?: string }) {
  return <span className={`badge${on ? " badge--live" : ""}`}>{on ? label : off}</span>;
}

/** A section's heading with its state on the right. */
export function SettingHead({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <div className="setting-head">
      <h2 id={id}>{title}</h2>
      {children}
    </div>
  );
}

/** What a setting holds, as terms and values. A value may be long (an address): it wraps. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="setting-facts">
      {rows.map(([term, value]) => (
        <div key={term} className="setting-facts__row">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** An environment variable's name, as the operator types it. */
export function Env({ name }: { name: string }) {
  return <code className="env-name">{name}</code>;
}
