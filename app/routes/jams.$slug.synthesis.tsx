import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { fetchJson } from "~/components/background-json";
import { ThemeActions } from "~/components/actions";
import { requireUser } from "~/auth/guard.server";
import { FormError, formFailureOf, SelectField, TextField, type FormFailure } from "~/components/form";
import { JamCrumbs } from "~/components/jam-header";
import { ThemeMap, Timeline } from "~/components/theme-map";
import { LocalTime } from "~/components/time";
import { Alert, EmptyState, plural } from "~/components/ui";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { curate, publishVersion, splitTheme, startSynthesis } from "~/services/commands/synthesis.server";
import { jamSynthesisPage } from "~/services/pages/synthesis.server";
import { ThemeSocial } from "~/components/theme-social";
import { KeepThemeAlive } from "~/components/communities";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Synthesis · ${data?.jam.title ?? "Jam"} · Jamboree` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const version = Number(new URL(request.url).searchParams.get("version"));
  const page = await orRespond(
    async () => await jamSynthesisPage(user, params.slug ?? "", { versionId: Number.isInteger(version) && version > 0 ? version : undefined }),
    { request, user, ip: context.ip },
  );
  return { ...page, now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const values = formValues(form);
  const slug = params.slug ?? "";
  const ctx = { request, user, ip: context.ip, values };
  const meta = { ip: context.ip };
  const back = (versionId: number) => redirect(`/jams/${slug}/synthesis?version=${versionId}`);
  switch (values.intent) {
    case "run": {
      const outcome = await orFormFailure(() => startSynthesis(user, slug, values), ctx);
      return outcome.ok ? redirect(`/jams/${slug}/synthesis`) : outcome.response;
    }
    case "split": {
      const outcome = await orFormFailure(() => splitTheme(user, slug, values, meta), ctx);
      return outcome.ok ? back(outcome.result) : outcome.response;
    }
    case "publish": {
      const outcome = await orFormFailure(async () => await publishVersion(user, slug, values, meta), ctx);
      return outcome.ok ? back(outcome.result) : outcome.response;
    }
    default: {
      // Moving or excluding takes every ticked idea, not only the last.
      const input = { ...values, ideaIds: form.getAll("ideaIds").filter((v): v is string => typeof v === "string") };
      const outcome = await orFormFailure(async () => await curate(user, slug, input, meta), ctx);
      return outcome.ok ? back(outcome.result) : outcome.response;
    }
  }
}

function RunPanel() {
  const { jam, run, challenges } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const running = run?.status === "running" || run?.status === "queued";
  // While a run goes on, poll its small status (not the whole page) each second; reload the page once it ends.
  // A plain fetch: a failed poll is skipped, never the page's error.
  const [polled, setPolled] = useState<{ status: string; progress: number } | null>(null);
  const revalidator = useRevalidator();
  const progress = polled?.progress ?? run?.progress ?? 0;
  useEffect(() => {
    if (!running) return;
    setPolled(null); // a new run: forget how the last one ended
    const controller = new AbortController();
    let waiting = false;
    const timer = setInterval(() => {
      if (waiting) return;
      waiting = true;
      fetchJson<{ run: { status: string; progress: number } | null }>(`/jams/${jam.slug}/synthesis/run`, controller.signal)
        .then((answer) => answer?.run && setPolled(answer.run))
        .catch(() => undefined)
        .finally(() => (waiting = false));
    }, 1000);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [running, jam.slug]);
  useEffect(() => {
    if (running && polled && polled.status !== "running" && polled.status !== "queued" && revalidator.state === "idle") revalidator.revalidate();
  }, [running, polled, revalidator]);
  return (
    <section className="card stack" aria-labelledby="run-heading">
      <h2 id="run-heading">Run the synthesis</h2>
      {running ? (
        <div className="stack" role="status" aria-live="polite">
          <div>
            Grouping {jam.title}’s ideas into themes… {progress}%
          </div>
          <div
            className="progressbar"
            role="progressbar"
            aria-label="Synthesis progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress}
          >
            <div style={{ width: `${progress}%` }} />
          </div>
          <p className="small muted">It runs in the background; you can keep working and come back.</p>
        </div>
      ) : (
        <Form method="post" className="inline-form" noValidate>
          <input type="hidden" name="intent" value="run" />
          <SelectField
            label="Ideas from"
            name="challengeId"
            defaultValue={failure?.values?.challengeId ?? ""}
            options={[{ value: "", label: "The whole jam" }, ...challenges.map((c) => ({ value: String(c.id), label: c.title }))]}
            errors={failure?.fieldErrors?.challengeId}
          />
          <TextField
            label="Number of themes (finest level)"
            name="k"
            type="number"
            hint="Leave empty to let the engine choose both levels."
            defaultValue={failure?.values?.k}
            errors={failure?.fieldErrors?.k}
          />
          <button type="submit" className="btn" disabled={busy}>
            {run ? "Run again" : "Run synthesis"}
          </button>
        </Form>
      )}
      {failure?.formError && failure.values?.intent === "run" ? <FormError message={failure.formError} /> : null}
      {run?.status === "failed" ? <Alert kind="error">The last run failed: {run.error}</Alert> : null}
      {run?.status === "done" && run.finishedAt ? (
        <p className="small muted">
          Last run finished <LocalTime at={run.finishedAt} />.
        </p>
      ) : null}
    </section>
  );
}

export default function SynthesisPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { jam, version, themes, canCurate, isStaff, versions, map, excluded, opinions } = data;
  const named = themes.filter((t) => !t.isOther);
  return (
    <>
      <JamCrumbs slug={jam.slug} title={jam.title}>
        Synthesis
      </JamCrumbs>
      <div className="page-head">
        <div>
          <h1>Synthesis</h1>
          <p>What {jam.title} said, grouped into themes and ranked by support and reach.</p>
        </div>
        {version ? (
          <div className="row">
            <a className="btn btn--secondary" href={`/jams/${jam.slug}/synthesis.md${isStaff ? `?version=${version.id}` : ""}`}>
              Markdown report
            </a>
            <a className="btn btn--secondary" href={`/jams/${jam.slug}/ideas.csv${isStaff ? `?version=${version.id}` : ""}`}>
              Ideas (CSV)
            </a>
            <Link className="btn btn--secondary" to={`/jams/${jam.slug}/synthesis/print${isStaff ? `?version=${version.id}` : ""}`}>
              Print
            </Link>
          </div>
        ) : null}
      </div>

      {canCurate ? <RunPanel /> : null}

      {isStaff && versions.length > 0 ? (
        <nav className="section row" aria-label="Versions">
          <span className="small muted">Versions:</span>
          {versions.map((v) => (
            <Link
              key={v.id}
              to={`?version=${v.id}`}
              className={`badge ${v.id === version?.id ? "badge--brand" : ""}`}
              aria-current={v.id === version?.id ? "page" : undefined}
            >
              #{v.number} {v.kind === "curated" ? "curated" : "generated"}
              {v.publishedAt ? " · published" : ""}
            </Link>
          ))}
        </nav>
      ) : null}

      {!version ? (
        <div className="section">
          <EmptyState title={isStaff ? "No synthesis yet" : "Themes are not published yet"}>
            {isStaff
              ? "Run the synthesis to group the ideas into themes."
              : "The facilitators will publish the themes of this jam when they have reviewed them."}
          </EmptyState>
        </div>
      ) : (
        <>
          <div className="section row" style={{ justifyContent: "space-between" }}>
            <p className="muted">
              Version #{version.number} ({version.kind}) ·{" "}
              {version.publishedAt ? (
                <>
                  published <LocalTime at={version.publishedAt} />
                </>
              ) : (
                "not published"
              )}{" "}
              · {plural(named.length, "theme")}
            </p>
            {canCurate && !version.publishedAt ? (
              // Publishing shows this version to everyone in place of the one they see now: one more step to confirm.
              <details className="publish-confirm">
                <summary className="btn">Publish these themes</summary>
                <Form method="post" className="card stack" style={{ marginTop: "var(--s-2)" }}>
                  <p>Everyone in the jam will see version #{version.number} instead of the version they see now.</p>
                  <input type="hidden" name="intent" value="publish" />
                  <input type="hidden" name="versionId" value={version.id} />
                  <button type="submit" className="btn">
                    Publish to everyone
                  </button>
                </Form>
              </details>
            ) : null}
          </div>
          {canCurate && version.kind === "generated" ? (
            <Alert>Edits make a curated copy of this version; a later run never overwrites it.</Alert>
          ) : null}
          {failure?.formError && !["run", "move", "exclude"].includes(failure.values?.intent ?? "") && !curationOf(failure) ? (
            <FormError message={failure.formError} />
          ) : null}

          <Summary themes={themes} tookPart={data.tookPart} contributed={data.contributed} opinions={opinions} actions={data.actions} />

          <div className="grid grid--2 section">
            <section aria-labelledby="themes-heading" className="stack">
              <h2 id="themes-heading">Themes</h2>
              {themes.map((t, rank) => (
                <ThemeCard key={t.id} theme={t} rank={t.isOther ? null : rank + 1} />
              ))}
              {canCurate ? <BulkBar versionId={version.id} /> : null}
            </section>
            <section aria-labelledby="map-heading" className="stack synthesis-aside">
              <h2 id="map-heading">Map of ideas</h2>
              <ThemeMap
                points={map.map((p) => ({ ...p, themeId: p.topThemeId }))}
                themes={themes.map((t) => ({ id: t.id, label: t.label, isOther: t.isOther }))}
              />
              {opinions ? <Opinions opinions={opinions} /> : null}
              {canCurate && excluded.length > 0 ? (
                <section aria-labelledby="excluded-heading">
                  <h3 id="excluded-heading">Excluded ideas</h3>
                  <ul className="small">
                    {excluded.map((i) => (
                      <li key={i.id}>{i.title}</li>
                    ))}
                  </ul>
                </section>
              ) : null}
            </section>
          </div>
        </>
      )}
    </>
  );
}

type ThemeView = ReturnType<typeof useLoaderData<typeof loader>>["themes"][number];

/** One top-level theme: what a leader reads, then its sub-themes (each opens to the same detail). */
function ThemeCard({ theme: t, rank }: { theme: ThemeView; rank: number | null }) {
  const { version, canCurate } = useLoaderData<typeof loader>();
  return (
    <article className="card stack theme-card" aria-labelledby={`theme-${t.id}`}>
      <h3 id={`theme-${t.id}`}>
        {rank !== null ? `${rank}. ` : ""}
        {t.label}
      </h3>
      <ThemeDetail theme={t} />
      {canCurate && version ? <Curation theme={t} versionId={version.id} /> : null}
      {t.subThemes.length > 0 ? (
        <section className="subthemes stack" aria-labelledby={`subthemes-${t.id}`}>
          <h4 id={`subthemes-${t.id}`} className="subthemes__heading">
            {plural(t.subThemes.length, "sub-theme")}
          </h4>
          {t.subThemes.map((sub) => (
            <details key={sub.id} className="subtheme" id={`theme-${sub.id}`}>
              <summary>
                <span className="subtheme__title">{sub.label}</span>{" "}
                <span className="small muted">
                  {plural(sub.size, "idea")} · {plural(sub.support, "vote")}
                </span>
              </summary>
              <div className="stack subtheme__body">
                <ThemeDetail theme={sub} compact />
                {canCurate && version ? <Curation theme={sub} versionId={version.id} /> : null}
              </div>
            </details>
          ))}
        </section>
      ) : null}
    </article>
  );
}

/** A theme's summary, figures, keywords, representative ideas, followers and actions (either level). */
function ThemeDetail({ theme: t, compact = false }: { theme: ThemeView | ThemeView["subThemes"][number]; compact?: boolean }) {
  const data = useLoaderData<typeof loader>();
  const { jam } = data;
  // Most supported first: the ideas a leader checks before acting.
  const representatives = [...t.representatives].sort((a, b) => b.votes - a.votes);
  return (
    <>
      {t.summary ? <p className="theme-card__summary">{t.summary}</p> : null}
      <div className="theme-stats">
        {compact ? null : <span>{plural(t.size, "idea")}</span>}
        {compact ? null : <span>{plural(t.support, "vote")}</span>}
        <Reach people={t.people} departments={t.departments} of={data.contributed} />
        <Timeline series={t.timeline} label={t.label} />
      </div>
      {t.keywords.length > 0 ? (
        <div className="keywords" aria-label="Keywords">
          {t.keywords.slice(0, 8).map((k) => (
            <span key={k} className="badge">
              {k}
            </span>
          ))}
        </div>
      ) : null}
      {representatives.length > 0 ? <p className="representatives__label">Representative ideas</p> : null}
      {representatives.length > 0 ? (
        <ul className="small representatives">
          {representatives.map((r) => (
            <li key={r.id}>
              <Link to={`/jams/${jam.slug}/ideas/${r.id}`}>{r.title}</Link> ({plural(r.votes, "vote")})
            </li>
          ))}
        </ul>
      ) : null}
      {t.isOther ? null : (
        <ThemeSocial
          themeId={t.id}
          label={t.label}
          following={data.social.followed.includes(t.id)}
          goTo={data.social.goTo[t.id] ?? []}
          canProposeJelly={Boolean(data.version?.publishedAt)}
          upcomingJellies={data.social.jellies[t.id] ?? 0}
        />
      )}
      {t.isOther ? null : (
        <KeepThemeAlive
          themeId={t.id}
          label={t.label}
          community={data.social.communities[t.id] ?? null}
          canCreate={data.social.canKeepAlive && data.version?.publishedAt != null}
        />
      )}
      {t.isOther ? null : (
        <ThemeActions
          themeId={t.id}
          themeLabel={t.label}
          actions={data.actions.filter((a) => a.themeId === t.id)}
          canCreate={data.canCreateActions}
          now={data.now}
        />
      )}
    </>
  );
}

/** Every theme of the version, top-level ones followed by their sub-themes, named with their place ("Top › Sub"). */
function useAllThemes() {
  const { themes } = useLoaderData<typeof loader>();
  return themes.flatMap((t) => [
    { id: t.id, label: t.label, isOther: t.isOther, parentId: null as number | null, hasSubThemes: t.subThemes.length > 0 },
    ...t.subThemes.map((sub) => ({
      id: sub.id,
      label: `${t.label} › ${sub.label}`,
      isOther: false,
      parentId: t.id as number | null,
      hasSubThemes: false,
    })),
  ]);
}

/** A refused curation edit of one theme (rename, merge, promote, split) names the theme; moves and excludes answer in the bulk bar. */
function curationOf(failure: FormFailure | undefined) {
  return failure && failure.values.themeId ? failure : undefined;
}

function Curation({ theme, versionId }: { theme: ThemeView | ThemeView["subThemes"][number]; versionId: number }) {
  const { map } = useLoaderData<typeof loader>();
  const all = useAllThemes();
  const themeId = theme.id;
  const label = theme.label;
  const isGroup = theme.subThemes.length > 0;
  const isSub = theme.parentId !== null;
  // Merge targets at the same level: a theme with sub-themes merges into another such theme; any other
  // theme merges into a theme without sub-themes (its ideas join) or into one with them (it joins them).
  // The choices are the top level and a sub-theme's siblings, so each list stays short however many
  // sub-themes the page holds (a sub-theme reaches another top-level theme's sub-themes in two steps).
  const mergeInto = theme.isOther
    ? []
    : all.filter(
        (o) =>
          o.id !== themeId &&
          !o.isOther &&
          o.id !== theme.parentId &&
          (isGroup ? o.hasSubThemes : o.parentId === null || (isSub && o.parentId === theme.parentId)),
      );
  const members = map.filter((p) => p.themeId === themeId);
  // This theme's refused edit opens its panel and says why, beside the fields, keeping what was typed.
  const refused = curationOf(formFailureOf(useActionData<typeof action>()));
  const mine = refused && refused.values.themeId === String(themeId) ? refused : undefined;
  const typed = (intent: string, name: string) => (mine?.values.intent === intent ? mine.values[name] : undefined);
  const otherMessages = mine
    ? Object.entries(mine.fieldErrors)
        .filter(([field]) => field !== "label" && field !== "k")
        .flatMap(([, messages]) => messages)
    : [];
  return (
    <details open={mine ? true : undefined} className="curation">
      <summary>Curate “{label}”</summary>
      <div className="stack" style={{ marginTop: "var(--s-3)" }}>
        {mine ? <FormError message={otherMessages.length > 0 ? otherMessages.join(" ") : mine.formError} /> : null}
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="versionId" value={versionId} />
          <input type="hidden" name="themeId" value={themeId} />
          <TextField label="Theme name" name="label" defaultValue={typed("rename", "label") ?? label} errors={mine?.fieldErrors.label} />
          <button type="submit" className="btn btn--secondary btn--small">
            Rename
          </button>
        </Form>
        {mergeInto.length > 0 ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="merge" />
            <input type="hidden" name="versionId" value={versionId} />
            <input type="hidden" name="themeId" value={themeId} />
            <SelectField
              label="Merge into"
              name="intoThemeId"
              placeholder="Choose a theme"
              options={mergeInto.map((o) => ({ value: String(o.id), label: o.hasSubThemes && !isGroup ? `${o.label} (as a sub-theme)` : o.label }))}
            />
            <button type="submit" className="btn btn--secondary btn--small">
              Merge
            </button>
          </Form>
        ) : null}
        {isSub ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="promote" />
            <input type="hidden" name="versionId" value={versionId} />
            <input type="hidden" name="themeId" value={themeId} />
            <button type="submit" className="btn btn--secondary btn--small">
              Make it a top-level theme
            </button>
          </Form>
        ) : null}
        {theme.isOther ? null : (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="split" />
            <input type="hidden" name="versionId" value={versionId} />
            <input type="hidden" name="themeId" value={themeId} />
            <TextField
              label={isGroup ? "Split its sub-themes into this many top-level themes" : "Split into this many sub-themes"}
              name="k"
              type="number"
              defaultValue={typed("split", "k") ?? "2"}
              errors={mine?.fieldErrors.k}
            />
            <button type="submit" className="btn btn--secondary btn--small">
              Split
            </button>
          </Form>
        )}
        {isGroup ? null : <IdeaPicker members={members} />}
      </div>
    </details>
  );
}

/**
 * A theme's ideas with a box to tick each, a filter to find them, "Tick all shown" and "Clear".
 * The boxes belong to the page's one bulk form (`BulkBar`, through the `form` attribute), so ideas
 * ticked in several themes move or leave together, and the page holds one list of destinations
 * instead of one per theme.
 */
function IdeaPicker({ members }: { members: { ideaId: number; title: string }[] }) {
  const [filter, setFilter] = useState("");
  const list = useRef<HTMLUListElement>(null);
  const words = filter.trim().toLowerCase();
  const shown = (title: string) => words === "" || title.toLowerCase().includes(words);
  const tickShown = (checked: boolean) => {
    for (const box of list.current?.querySelectorAll<HTMLInputElement>('input[name="ideaIds"]') ?? []) {
      if (!box.closest("li")?.hidden) {
        box.checked = checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  };
  return (
    <details>
      <summary>Ideas in this theme ({members.length})</summary>
      <div className="stack idea-picker" role="group" aria-label="Tick ideas of this theme to move or exclude">
        <div className="inline-form">
          <TextField label="Find ideas" name="find" type="search" onChange={setFilter} />
          <button type="button" className="btn btn--ghost btn--small" onClick={() => tickShown(true)}>
            Tick all shown
          </button>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => tickShown(false)}>
            Clear
          </button>
        </div>
        <ul className="list-plain small idea-picker__list" ref={list}>
          {members.map((m) => (
            <li key={m.ideaId} hidden={!shown(m.title)}>
              <label className="row">
                <input type="checkbox" name="ideaIds" value={m.ideaId} form={BULK_FORM} /> <span>{m.title}</span>
              </label>
            </li>
          ))}
        </ul>
        <p className="small muted">Then choose where they go in the bar at the foot of the page.</p>
      </div>
    </details>
  );
}

const BULK_FORM = "curate-ideas";

/**
 * The page's one bulk form: every idea ticked in any theme's list moves to one theme without
 * sub-themes, or leaves the synthesis (excluded), in one edit. It stays in view at the foot of
 * the window while ideas are ticked.
 */
function BulkBar({ versionId }: { versionId: number }) {
  const all = useAllThemes();
  const { map } = useLoaderData<typeof loader>();
  const failure = formFailureOf(useActionData<typeof action>());
  const mine = failure && (failure.values.intent === "move" || failure.values.intent === "exclude") ? failure : undefined;
  const form = useRef<HTMLFormElement>(null);
  const [ticked, setTicked] = useState(0);
  // Counted on every tick, and again when the page's ideas change (after a move the moved boxes are new, unticked).
  useEffect(() => {
    const count = () =>
      setTicked(Array.from(form.current?.elements ?? []).filter((e) => e instanceof HTMLInputElement && e.name === "ideaIds" && e.checked).length);
    count();
    document.addEventListener("change", count);
    return () => document.removeEventListener("change", count);
  }, [map]);
  return (
    <Form
      method="post"
      id={BULK_FORM}
      ref={form}
      className={`bulk-bar card${ticked > 0 ? " bulk-bar--active" : ""}`}
      aria-label="Move or exclude the ticked ideas"
    >
      <input type="hidden" name="versionId" value={versionId} />
      <span className="bulk-bar__count" aria-live="polite">
        {ticked > 0 ? `${plural(ticked, "idea")} ticked` : "Tick ideas in a theme's list to move or exclude them"}
      </span>
      <SelectField
        label="Move the ticked ideas to"
        name="toThemeId"
        placeholder="Choose a theme"
        defaultValue={mine?.values.toThemeId}
        options={all.filter((o) => !o.hasSubThemes).map((o) => ({ value: String(o.id), label: o.label }))}
        errors={mine?.fieldErrors.toThemeId}
      />
      <button type="submit" name="intent" value="move" className="btn btn--small">
        Move
      </button>
      <button type="submit" name="intent" value="exclude" className="btn btn--ghost btn--small">
        Exclude the ticked ideas
      </button>
      {mine && (mine.fieldErrors.ideaIds || mine.formError) ? <FormError message={mine.fieldErrors.ideaIds?.join(" ") ?? mine.formError!} /> : null}
    </Form>
  );
}

/** Who posted or discussed a theme's ideas, against everyone who did so for the ideas the synthesis covers. */
function Reach({ people, departments, of }: { people: number; departments: number; of: { people: number; departments: number } }) {
  const share = of.people > 0 ? Math.round((100 * people) / of.people) : 0;
  return (
    <span className="reach">
      <span>
        {people.toLocaleString("en")} of {plural(of.people, "person", "people")} who posted or discussed ideas ({share}%) · {departments} of{" "}
        {plural(of.departments, "department")}
      </span>
      <span className="meter" role="img" aria-label={`${share}% of the people who posted or discussed ideas`}>
        <span className="meter__bar" style={{ width: `${share}%`, display: "block" }} />
      </span>
    </span>
  );
}

/** The executive summary a leader reads first: who took part, the leading themes, agreement, and the actions so far. */
function Summary({
  themes,
  tookPart,
  contributed,
  opinions,
  actions,
}: {
  themes: { id: number; label: string; isOther: boolean; support: number; people: number; subThemes: unknown[] }[];
  tookPart: { people: number; departments: number; ideas: number };
  contributed: { people: number };
  opinions: { consensus: unknown[]; divisive: unknown[] } | null;
  actions: { status: string }[];
}) {
  const named = themes.filter((t) => !t.isOther);
  if (named.length === 0) return null;
  const subThemes = named.reduce((n, t) => n + t.subThemes.length, 0);
  const bySupport = named.slice(0, 3);
  const byReach = [...named].sort((a, b) => b.people - a.people || b.support - a.support).slice(0, 3);
  const done = actions.filter((a) => a.status === "done").length;
  const underWay = actions.filter((a) => a.status === "approved" || a.status === "in_progress").length;
  const proposed = actions.filter((a) => a.status === "proposed").length;
  const declined = actions.filter((a) => a.status === "declined").length;
  return (
    <section className="card stack summary section" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Summary</h2>
      <p>
        <strong>{plural(tookPart.people, "person", "people")}</strong> from <strong>{plural(tookPart.departments, "department")}</strong> took part in{" "}
        <strong>{plural(tookPart.ideas, "idea")}</strong>, grouped into {plural(named.length, "theme")}
        {subThemes > 0 ? ` and ${plural(subThemes, "sub-theme")}` : ""}
        {tookPart.people > contributed.people
          ? `: ${plural(contributed.people, "person", "people")} posted or discussed them, the others voted.`
          : "."}
      </p>
      <div className="grid grid--2">
        <div>
          <h3 className="summary__label">Most supported</h3>
          <ol className="small">
            {bySupport.map((t) => (
              <li key={t.id}>
                <a href={`#theme-${t.id}`}>{t.label}</a> ({plural(t.support, "vote")})
              </li>
            ))}
          </ol>
        </div>
        <div>
          <h3 className="summary__label">Widest reach</h3>
          <ol className="small">
            {byReach.map((t) => (
              <li key={t.id}>
                <a href={`#theme-${t.id}`}>{t.label}</a> ({plural(t.people, "person", "people")})
              </li>
            ))}
          </ol>
        </div>
      </div>
      <p className="small">
        {opinions
          ? `${plural(opinions.consensus.length, "idea")} every opinion group agrees on; ${plural(
              opinions.divisive.length,
              "idea",
            )} where they differ (see Opinion groups). `
          : ""}
        {actions.length === 0
          ? "No follow-up actions yet."
          : `${plural(actions.length, "follow-up action")}: ${[
              `${done} done`,
              `${underWay} under way`,
              proposed > 0 ? `${proposed} proposed` : "",
              declined > 0 ? `${declined} declined` : "",
            ]
              .filter(Boolean)
              .join(", ")}.`}
      </p>
    </section>
  );
}

function Opinions({
  opinions,
}: {
  opinions: {
    participants: number;
    groups: { name: string; size: number; representatives: Statement[] }[];
    consensus: Statement[];
    divisive: Statement[];
  };
}) {
  return (
    <section aria-labelledby="opinions-heading" className="stack">
      <h2 id="opinions-heading">Opinion groups</h2>
      <p className="small muted">
        {plural(opinions.participants, "person", "people")} voted agree, disagree or pass; people who voted alike form a group. Under each idea: how
        each group voted on it.
      </p>
      {opinions.groups.map((g) => (
        <div key={g.name} className="card stack">
          <h3>
            {g.name} · {plural(g.size, "person", "people")}
          </h3>
          <StatementList statements={g.representatives} empty="No idea sets this group apart." />
        </div>
      ))}
      <div className="card stack">
        <h3>What every group agrees on</h3>
        <StatementList statements={opinions.consensus} empty="No idea is agreed by every group yet." />
      </div>
      <div className="card stack">
        <h3>Where groups differ</h3>
        <StatementList statements={opinions.divisive} empty="No divisive ideas." />
      </div>
    </section>
  );
}

interface Statement {
  id: number;
  title: string;
  groups: { group: string; seen: number; agree: number; disagree: number }[];
}

function StatementList({ statements, empty }: { statements: Statement[]; empty: string }) {
  if (statements.length === 0) return <p className="small muted">{empty}</p>;
  return (
    <ul className="list-plain statements">
      {statements.map((s) => (
        <li key={s.id}>
          <span className="small">{s.title}</span>
          {s.groups.length > 0 ? <GroupVotes title={s.title} groups={s.groups} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** Each group's agree and disagree shares on one idea, as bars (as Polis shows them) and in words. */
function GroupVotes({ title, groups }: { title: string; groups: Statement["groups"] }) {
  return (
    <ul className="list-plain group-votes" aria-label={`How each group voted on “${title}”`}>
      {groups.map((g) => (
        <li key={g.group}>
          <span className="group-votes__name">{g.group}</span>
          <span className="group-votes__bar" aria-hidden="true">
            <span className="group-votes__agree" style={{ width: `${g.agree}%` }} />
            <span className="group-votes__disagree" style={{ width: `${g.disagree}%` }} />
          </span>
          <span className="group-votes__words">{g.seen === 0 ? "not seen" : `${g.agree}% agree · ${g.disagree}% disagree (${g.seen} saw it)`}</span>
        </li>
      ))}
    </ul>
  );
}
