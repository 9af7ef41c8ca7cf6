import type { OutboxStatus } from "~/services/mail-admin.server";

export const MAIL_STATUS_LABELS: Record<OutboxStatus, string> = {
  queued: "Queued",
  sent: "Sent",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** A message's status as a badge; "Kept here" for one delivered to the local outbox (no SMTP). */
export function MailStatusBadge({ status, transport }: { status: OutboxStatus; transport: "smtp" | "local" | null }) {
  const label = status === "sent" && transport === "local" ? "Kept here" : MAIL_STATUS_LABELS[status];
  return <span className={`badge mail-status mail-status--${status}`}>{label}</span>;
}
