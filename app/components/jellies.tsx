/**
 * Jellies, presentational: the time of a jelly in the viewer's zone (named), a card, a list of
 * cards, and the proposal form. Kept as components so another page (a theme, later a community)
 * can render a jelly section without the jellies route.
 */
import { Form, Link } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import type { FormFailure } from "~/components/form";
import { FormError, SelectField, TextArea, TextField } from "~/components/form";
import { LocalTime } from "~/components/time";
import { Alert, EmptyState, plural } from "~/components/ui";
import { JELLY_ABOUT_MAX, JELLY_CAPACITY_MAX, JELLY_LINK_MAX, JELLY_PLACE_MAX, JELLY_TITLE_MAX, type JellyState } from "~/domain/jellies";

const formats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string, withDate: boolean) {
  const key = `${zone}|${withDate}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      ...(withDate ? { weekday: "short", day: "numeric", month: "short", year: "numeric" } : {}),
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
    formats.set(key, f);
  }
  return f;
}

/** The zone the browser is in (undefined on the server, where the jelly's own zone is used). */
function useViewerZone(): string | undefined {
  const [zone, setZone] = useState<string | undefined>(undefined);
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  return zone;
}

/**
 * When a jelly happens, in the viewer's time zone with the zone named ("Tue 9 Mar 2027, 10:00 CET
 * (Europe/Berlin)"). Before the page knows the viewer's zone (server render), the jelly's own.
 * When the viewer is elsewhere, the time where it was planned follows.
 */
export function JellyTime({ at, zone, end }: { at: number; zone: string; end?: number }) {
  const viewer = useViewerZone();
  const shown = viewer ?? zone;
  const main = format(shown, true).format(at);
  const until = end !== undefined ? format(shown, false).format(end) : null;
  return (
    <span className="jelly-time">
      <time dateTime={new Date(at).toISOString()} suppressHydrationWarning>
        {main}
        {until ? ` – ${until}` : ""} ({shown.replace(/_/g, " ")})
      </time>
      {viewer && viewer !== zone && format(viewer, false).format(at) !== format(zone, false).format(at) ? (
        <span className="small muted" suppressHydrationWarning>
          {" "}
          {format(zone, false).format(at)} in {zone.replace(/_/g, " ")}, where it was planned
        </span>
      ) : null}
    </span>
  );
}

export const JELLY_STATE_LABELS: Record<JellyState, string> = {
  upcoming: "Upcoming",
  happening: "Happening now",
  past: "Past",
  cancelled: "Cancelled",
};

export function JellyStateBadge({ state }: { state: JellyState }) {
  const cls = state === "happening" ? "badge badge--live" : state === "cancelled" ? "badge badge--draft" : state === "upcoming" ? "badge badge--brand" : "badge";
  return <span className={cls}>{JELLY_STATE_LABELS[state]}</span>;
}

export interface JellyCardProps {
  id: number;
  title: string;
  startsAt: number;
  durationMinutes: number;
  timeZone: string;
  place: string | null;
  hasCallLink: boolean;
  capacity: number;
  going: number;
  waiting: number;
  hostName: string;
  state: JellyState;
  myStatus: "hosting" | "going" | "waiting" | null;
}

const MY_STATUS: Record<"hosting" | "going" | "waiting", string> = { hosting: "You host", going: "You are going", waiting: "On the waiting list" };

export function JellyCard({ jelly }: { jelly: JellyCardProps }) {
  const full = jelly.going >= jelly.capacity;
  return (
    <li className="card jelly-card">
      <div className="row jelly-card__badges">
        <JellyStateBadge state={jelly.state} />
        {jelly.myStatus ? <span className="badge badge--brand">{MY_STATUS[jelly.myStatus]}</span> : null}
      </div>
      <h3 className="jelly-card__title">
        <Link to={`/jellies/${jelly.id}`}>{jelly.title}</Link>
      </h3>
      <div className="small">
        <JellyTime at={jelly.startsAt} zone={jelly.timeZone} />
      </div>
      <div className="small muted">
        {[jelly.place, jelly.hasCallLink ? "Call link" : null].filter(Boolean).join(" · ")} · Hosted by {jelly.hostName}
      </div>
      <div className="small muted">
        {jelly.going} of {jelly.capacity} going
        {full && jelly.waiting > 0 ? ` · ${jelly.waiting} waiting` : full ? " · full" : ""}
      </div>
    </li>
  );
}

/** A list of jelly cards with its empty state; the section a theme or community page renders. */
export function JellyList({ jellies, empty }: { jellies: JellyCardProps[]; empty: { title: string; body: React.ReactNode; action?: React.ReactNode } }) {
  if (jellies.length === 0) {
    return (
      <EmptyState title={empty.title} action={empty.action}>
        {empty.body}
      </EmptyState>
    );
  }
  return (
    <ul className="list-plain jelly-list">
      {jellies.map((j) => (
        <JellyCard key={j.id} jelly={j} />
      ))}
    </ul>
  );
}

export interface JellyFormValues {
  title: string;
  about: string;
  date: string;
  time: string;
  timeZone: string;
  durationMinutes: string;
  place: string;
  callLink: string;
  capacity: string;
}

const DURATIONS = [
  { value: "15", label: "15 minutes" },
  { value: "30", label: "30 minutes" },
  { value: "45", label: "45 minutes" },
  { value: "60", label: "1 hour" },
  { value: "90", label: "1½ hours" },
  { value: "120", label: "2 hours" },
  { value: "180", label: "3 hours" },
  { value: "240", label: "4 hours" },
];

/**
 * The proposal (and edit) form. The time zone defaults to the browser's; the server turns the
 * wall-clock time in that zone into a UTC moment and refuses a time the clocks skip.
 */
export function JellyForm({
  values,
  failure,
  timeZones,
  submitLabel,
  hidden,
  busy,
  communities,
}: {
  values: JellyFormValues;
  failure?: FormFailure;
  timeZones: string[];
  submitLabel: string;
  hidden: Record<string, string>;
  busy: boolean;
  /** The communities it may be proposed for (the person's own), when it is not proposed from one. */
  communities?: { id: number; title: string }[];
}) {
  const v = { ...values, ...(failure?.values ?? {}) } as JellyFormValues;
  const e = failure?.fieldErrors ?? {};
  const [zone, setZone] = useState(v.timeZone || "UTC");
  useEffect(() => {
    if (!v.timeZone) setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  }, [v.timeZone]);
  const zoneOptions = useMemo(() => {
    const all = timeZones.includes(zone) ? timeZones : [zone, ...timeZones];
    return all.map((z) => ({ value: z, label: z.replace(/_/g, " ") }));
  }, [timeZones, zone]);
  const durations = DURATIONS.some((d) => d.value === v.durationMinutes) ? DURATIONS : [...DURATIONS, { value: v.durationMinutes, label: `${v.durationMinutes} minutes` }];
  return (
    <Form method="post" className="stack jelly-form" noValidate>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <FormError message={failure?.formError} />
      <TextField label="Title" name="title" defaultValue={v.title} errors={e.title} maxLength={JELLY_TITLE_MAX} required />
      <TextArea label="What it is about" name="about" defaultValue={v.about} errors={e.about} maxLength={JELLY_ABOUT_MAX} rows={4} required />
      <div className="jelly-form__when">
        <TextField label="Date" name="date" type="date" defaultValue={v.date} errors={e.date} required />
        <TextField label="Time" name="time" type="time" defaultValue={v.time} errors={e.time} required />
        <SelectField label="Duration" name="durationMinutes" defaultValue={v.durationMinutes || "60"} options={durations} errors={e.durationMinutes} />
      </div>
      <SelectField
        key={zone}
        label="Time zone"
        name="timeZone"
        defaultValue={zone}
        options={zoneOptions}
        errors={e.timeZone}
        hint="People elsewhere see the time in their own zone."
      />
      <TextField label="Place" name="place" defaultValue={v.place} errors={e.place} maxLength={JELLY_PLACE_MAX} hint="A room, a café, a floor. Or leave it empty and give a call link." />
      <TextField
        label="Call link"
        name="callLink"
        type="url"
        defaultValue={v.callLink}
        errors={e.callLink}
        maxLength={JELLY_LINK_MAX}
        placeholder="https://"
        hint="Only https:// (or http://) links."
      />
      {communities && communities.length > 0 ? (
        <SelectField
          label="For a community (optional)"
          name="communityId"
          defaultValue={(failure?.values as Record<string, string> | undefined)?.communityId ?? ""}
          options={[{ value: "", label: "No community: open to everyone" }, ...communities.map((c) => ({ value: String(c.id), label: c.title }))]}
          errors={e.communityId}
          hint="A members-only community’s jelly is seen only by its members."
        />
      ) : null}
      <TextField label="How many people can come" name="capacity" type="number" defaultValue={v.capacity} errors={e.capacity} hint={`Besides you; at most ${JELLY_CAPACITY_MAX}. When it is full, people join a waiting list.`} />
      <div className="row">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
      </div>
    </Form>
  );
}

export function goingLine(going: number, capacity: number, waiting: number) {
  return `${going} of ${capacity} going${waiting > 0 ? ` · ${plural(waiting, "person", "people")} waiting` : ""}`;
}

/**
 * The profile's calendar feed: a secret address a calendar app subscribes to, holding the jellies
 * the person is going to or hosts. Only its hash is kept, so the address shows once, when made.
 */
export function CalendarFeedCard({ exists, createdAt, freshUrl, busy }: { exists: boolean; createdAt: number | null; freshUrl: string | null; busy: boolean }) {
  return (
    <section id="calendar" className="card stack section" aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">Your calendar feed</h2>
      <p className="muted">
        Subscribe to it in your calendar app (Outlook, Google Calendar, Apple Calendar) to see the <Link to="/jellies">jellies</Link> you
        are going to or host, kept up to date. Anyone with the address can read it: keep it to yourself.
      </p>
      {freshUrl ? (
        <div className="stack" role="status">
          <Alert>Here is your new feed address. Copy it now: for your safety it is not shown again.</Alert>
          <label className="field__label" htmlFor="calendar-feed-url">
            Feed address
          </label>
          <input id="calendar-feed-url" className="input" readOnly value={freshUrl} onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : exists && createdAt ? (
        <p className="small">
          You made a feed address on <LocalTime at={createdAt} withTime={false} />. Lost it, or shared it by mistake? Make a new one: the old one stops
          working at once.
        </p>
      ) : null}
      {exists ? (
        <details className="jelly-cancel">
          <summary>Make a new feed address…</summary>
          <Form method="post" action="/me?tab=data" className="stack">
            <input type="hidden" name="intent" value="resetCalendarFeed" />
            <p className="small">The address you have now stops working at once; calendars subscribed to it stop updating.</p>
            <div>
              <button type="submit" className="btn btn--secondary" disabled={busy}>
                Yes, make a new address
              </button>
            </div>
          </Form>
        </details>
      ) : (
        <Form method="post" action="/me?tab=data">
          <input type="hidden" name="intent" value="resetCalendarFeed" />
          <button type="submit" className="btn btn--secondary" disabled={busy}>
            Make my feed address
          </button>
        </Form>
      )}
    </section>
  );
}
