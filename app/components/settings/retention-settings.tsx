import { Form, Link } from "@remix-run/react";
import { TextField, type FormFailure } from "../form";
import { LocalTime } from "../time";
import { Alert, plural } from "../ui";
import { SetUpBadge, SettingHead } from "./setting-facts";

export interface RetentionSettingsData {
  auditRetentionDays: number | null;
  endedJamRetentionDays: number | null;
}

export interface RetentionPreviewData {
  auditRows: number;
  auditBefore: number | null;
  jams: { id: number; title: string; slug: string; endsAt: number; ideas: number; comments: number }[];
  jamsBefore: number | null;
}

export type RetentionResult =
  | FormFailure
  | { saved: true; settings: RetentionSettingsData; preview: RetentionPreviewData }
  | { saved: false; needsConfirmation: true; settings: RetentionSettingsData; preview: RetentionPreviewData };

const forEver = (days: number | null, what: string) => (days === null ? `${what} are kept for ever` : `${what} are kept ${plural(days, "day")}`);

/**
 * The retention section of /admin/settings: how long audit records and ended jams are kept, what
 * the settings delete now, and a confirmation (listing what goes) before any setting that deletes
 * something is saved. Works without JavaScript: every step is a plain form post.
 */
export function RetentionSettings({
  settings,
  preview,
  result,
  busy,
}: {
  settings: RetentionSettingsData;
  preview: RetentionPreviewData;
  result?: RetentionResult;
  busy: boolean;
}) {
  const failure = result && "fieldErrors" in result ? result : undefined;
  const asking = result && "needsConfirmation" in result ? result : undefined;
  const saved = result && "saved" in result && result.saved ? result : undefined;
  const shown = asking?.settings ?? settings;
  const value = (name: keyof RetentionSettingsData) =>
    failure ? failure.values[name] : shown[name] === null ? "" : String(shown[name]);
  return (
    <section className="card stack section" aria-labelledby="retention-heading" id="retention">
      <SettingHead id="retention-heading" title="Retention">
        <SetUpBadge
          on={settings.auditRetentionDays !== null || settings.endedJamRetentionDays !== null}
          label="Limited"
          off="Kept for ever"
        />
      </SettingHead>
      <p className="muted">
        How long Jamboree keeps audit records and jams that have ended. Anything older is deleted within a minute, and every minute after
        that. Leave a field empty to keep them for ever.
      </p>
      <p>
        Now: {forEver(settings.auditRetentionDays, "audit records")}; {forEver(settings.endedJamRetentionDays, "ended jams")}
        {settings.endedJamRetentionDays === null ? "" : " after they end"}.{" "}
        {preview.auditRows + preview.jams.length === 0 ? (
          "Nothing is waiting to be deleted."
        ) : (
          <strong>
            Waiting to be deleted: {plural(preview.auditRows, "audit record")} and {plural(preview.jams.length, "ended jam")}.
          </strong>
        )}
      </p>
      {saved ? (
        <div className="alert alert--info" role="status">
          Retention saved.
          {saved.preview.auditRows + saved.preview.jams.length > 0 ? " What is older is being deleted now." : ""}
        </div>
      ) : null}
      {failure?.formError && Object.keys(failure.fieldErrors).length === 0 ? <Alert kind="error">{failure.formError}</Alert> : null}
      {asking ? (
        <div className="danger-zone card stack" role="alert" aria-labelledby="retention-confirm">
          <h3 id="retention-confirm">Saving this deletes, for good:</h3>
          <p className="small">
            You asked for {asking.settings.auditRetentionDays === null ? "audit records to be kept for ever" : `audit records to be kept ${plural(asking.settings.auditRetentionDays, "day")}`} and{" "}
            {asking.settings.endedJamRetentionDays === null
              ? "ended jams to be kept for ever"
              : `ended jams ${plural(asking.settings.endedJamRetentionDays, "day")} after they end`}
            . At the next purge, within a minute:
          </p>
          <ul className="retention-list">
            {asking.preview.auditRows > 0 && asking.preview.auditBefore !== null ? (
              <li>
                {plural(asking.preview.auditRows, "audit record")} from before <LocalTime at={asking.preview.auditBefore} withTime={false} />
              </li>
            ) : null}
            {asking.preview.jams.map((j) => (
              <li key={j.id}>
                The jam <Link to={`/jams/${j.slug}`}>{j.title}</Link> (ended <LocalTime at={j.endsAt} withTime={false} />) with everything in
                it: {plural(j.ideas, "idea")}, {plural(j.comments, "comment")}, their votes and points, themes and actions
              </li>
            ))}
          </ul>
          <p className="small muted">People’s points and the leaderboards lose what they earned in a deleted jam. This cannot be undone.</p>
          <Form method="post" className="row">
            <input type="hidden" name="intent" value="retention" />
            <input type="hidden" name="auditRetentionDays" value={asking.settings.auditRetentionDays ?? ""} />
            <input type="hidden" name="endedJamRetentionDays" value={asking.settings.endedJamRetentionDays ?? ""} />
            <input type="hidden" name="confirmed" value="yes" />
            <button type="submit" className="btn btn--danger" disabled={busy}>
              Save and delete
            </button>
            <Link to="/admin/settings#retention" className="btn btn--secondary">
              Cancel
            </Link>
          </Form>
        </div>
      ) : (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="intent" value="retention" />
          <div className="retention-fields">
            <TextField
              label="Keep audit records for (days)"
              name="auditRetentionDays"
              type="number"
              defaultValue={value("auditRetentionDays")}
              hint="30 to 3,650 days; empty keeps them for ever."
              errors={failure?.fieldErrors.auditRetentionDays}
            />
            <TextField
              label="Keep ended jams for (days after they end)"
              name="endedJamRetentionDays"
              type="number"
              defaultValue={value("endedJamRetentionDays")}
              hint="30 to 3,650 days; empty keeps them for ever. A deleted jam takes its ideas, comments, votes and points with it."
              errors={failure?.fieldErrors.endedJamRetentionDays}
            />
          </div>
          <div>
            <button type="submit" className="btn" disabled={busy}>
              Save retention
            </button>
          </div>
          <p className="small muted">When a setting would delete something now, you will see what before anything is saved.</p>
        </Form>
      )}
    </section>
  );
}
