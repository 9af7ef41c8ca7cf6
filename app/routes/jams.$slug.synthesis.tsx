import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { fetchJson } from "~/components/background-json";
import { ThemeActions } from "~/components/actions";
import { requireUser } from "~/auth/guard.server";
import { FormError, formFailureOf, SelectField, TextField, type FormFailure } from "~/components/form";
import { JamCrumbs } from "~/components/jam-header";
import { ThemeMap, Timeline } from "~/components/theme-map";
import { LocalTime } from "~/components/time";
import { Alert, EmptyState, plural } from "~/components/ui";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { curate, publishVersion, splitTheme, startSynthesis } from "~/services/synthesis.server";
import { synthesisPage } from "~/services/synthesis-view.server";
import { themeCardsSocial } from "~/services/network-pages.server";
import { ThemeSocial } from "~/components/theme-social";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Synthesis · ${data?.jam.title ?? "Jam"} · Jamboree` }];

export function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(request);
  const version = Number(new URL(request.url).searchParams.get("version"));
  const page = orRespond(
    () => synthesisPage(user, params.slug ?? "", { versionId: Number.isInteger(version) && version > 0 ? version : undefined }),
    { request, user, ip: context.ip },
  );
  const social = orRespond(() => themeCardsSocial(user, page.themes.filter((t) => !t.isOther).map((t) => t.id)), { request, user, ip: context.ip });
  return { ...page, social, now: Date.now() };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request);
  const values = formValues(await request.formData());
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
      const outcome = await orFormFailure(() => publishVersion(user, slug, values, meta), ctx);
      return outcome.ok ? back(outcome.result) : outcome.response;
    }
    default: {
      const outcome = await orFormFailure(() => curate(user, slug, values, meta), ctx);
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
          <div>Grouping {jam.title}’s ideas into themes… {progress}%</div>
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
            label="Number of themes"
            name="k"
            type="number"
            hint="Leave empty to let the engine choose."
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
  const now = data.now;
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
          {failure?.formError && failure.values?.intent !== "run" && !curationOf(failure) ? <FormError message={failure.formError} /> : null}

          <div className="grid grid--2 section">
            <section aria-labelledby="themes-heading" className="stack">
              <h2 id="themes-heading">Themes</h2>
              {themes.map((t, rank) => (
                <article key={t.id} className="card stack theme-card" aria-labelledby={`theme-${t.id}`}>
                  <h3 id={`theme-${t.id}`}>
                    {t.isOther ? "" : `${rank + 1}. `}
                    {t.label}
                  </h3>
                  <div className="theme-stats">
                    <span>{plural(t.size, "idea")}</span>
                    <span>{plural(t.support, "vote")}</span>
                    <span>{plural(t.people, "person", "people")}</span>
                    <span>{plural(t.departments, "department")}</span>
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
                  {t.representatives.length > 0 ? (
                    <ul className="small">
                      {t.representatives.map((r) => (
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
                    />
                  )}
                  {t.isOther ? null : (
                    <ThemeActions
                      themeId={t.id}
                      themeLabel={t.label}
                      actions={data.actions.filter((a) => a.themeId === t.id)}
                      canCreate={data.canCreateActions}
                      now={now}
                    />
                  )}
                  {canCurate ? <Curation themeId={t.id} label={t.label} versionId={version.id} /> : null}
                </article>
              ))}
            </section>
            <section aria-labelledby="map-heading" className="stack">
              <h2 id="map-heading">Map of ideas</h2>
              <ThemeMap points={map} themes={themes.map((t) => ({ id: t.id, label: t.label }))} />
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

/** A refused curation edit names the theme (rename, merge, split) or the idea (move, exclude) it was about. */
function curationOf(failure: FormFailure | undefined) {
  return failure && (failure.values.themeId || failure.values.ideaId) ? failure : undefined;
}

function Curation({ themeId, label, versionId }: { themeId: number; label: string; versionId: number }) {
  const { themes, map } = useLoaderData<typeof loader>();
  const others = themes.filter((t) => t.id !== themeId);
  const members = map.filter((p) => p.themeId === themeId);
  // This theme's refused edit opens its panel and says why, beside the fields, keeping what was typed.
  const refused = curationOf(formFailureOf(useActionData<typeof action>()));
  const mine =
    refused && (refused.values.themeId === String(themeId) || members.some((m) => String(m.ideaId) === refused.values.ideaId))
      ? refused
      : undefined;
  const typed = (intent: string, name: string) => (mine?.values.intent === intent ? mine.values[name] : undefined);
  const otherMessages = mine
    ? Object.entries(mine.fieldErrors)
        .filter(([field]) => field !== "label" && field !== "k")
        .flatMap(([, messages]) => messages)
    : [];
  return (
    <details open={mine ? true : undefined}>
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
        {others.length > 0 ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="merge" />
            <input type="hidden" name="versionId" value={versionId} />
            <input type="hidden" name="themeId" value={themeId} />
            <SelectField
              label="Merge into"
              name="intoThemeId"
              placeholder="Choose a theme"
              options={others.map((o) => ({ value: String(o.id), label: o.label }))}
            />
            <button type="submit" className="btn btn--secondary btn--small">
              Merge
            </button>
          </Form>
        ) : null}
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="split" />
          <input type="hidden" name="versionId" value={versionId} />
          <input type="hidden" name="themeId" value={themeId} />
          <TextField label="Split into" name="k" type="number" defaultValue={typed("split", "k") ?? "2"} errors={mine?.fieldErrors.k} />
          <button type="submit" className="btn btn--secondary btn--small">
            Split
          </button>
        </Form>
        <details>
          <summary>Ideas in this theme ({members.length})</summary>
          <ul className="list-plain small">
            {members.map((m) => (
              <li key={m.ideaId} className="row">
                <span style={{ flex: 1 }}>{m.title}</span>
                <Form method="post" className="row">
                  <input type="hidden" name="intent" value="move" />
                  <input type="hidden" name="versionId" value={versionId} />
                  <input type="hidden" name="ideaId" value={m.ideaId} />
                  <label className="visually-hidden" htmlFor={`move-${m.ideaId}`}>
                    Move “{m.title}” to
                  </label>
                  <select id={`move-${m.ideaId}`} name="toThemeId" className="select" defaultValue="">
                    <option value="" disabled>
                      Move to…
                    </option>
                    {others.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                  <button type="submit" className="btn btn--ghost btn--small">
                    Move
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="exclude" />
                  <input type="hidden" name="versionId" value={versionId} />
                  <input type="hidden" name="ideaId" value={m.ideaId} />
                  <button type="submit" className="btn btn--ghost btn--small" aria-label={`Exclude “${m.title}”`}>
                    Exclude
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </details>
      </div>
    </details>
  );
}

function Opinions({
  opinions,
}: {
  opinions: {
    participants: number;
    groups: { name: string; size: number; representatives: { id: number; title: string }[] }[];
    consensus: { id: number; title: string }[];
    divisive: { id: number; title: string }[];
  };
}) {
  return (
    <section aria-labelledby="opinions-heading" className="stack">
      <h2 id="opinions-heading">Opinion groups</h2>
      <p className="small muted">
        {plural(opinions.participants, "person", "people")} voted agree, disagree or pass; people who voted alike form a
        group.
      </p>
      {opinions.groups.map((g) => (
        <div key={g.name} className="card">
          <h3>
            {g.name} · {plural(g.size, "person", "people")}
          </h3>
          <ul className="small">
            {g.representatives.map((r) => (
              <li key={r.id}>{r.title}</li>
            ))}
          </ul>
        </div>
      ))}
      <div className="card">
        <h3>What every group agrees on</h3>
        {opinions.consensus.length === 0 ? (
          <p className="small muted">No idea is agreed by every group yet.</p>
        ) : (
          <ul className="small">
            {opinions.consensus.map((r) => (
              <li key={r.id}>{r.title}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="card">
        <h3>Where groups differ</h3>
        {opinions.divisive.length === 0 ? (
          <p className="small muted">No divisive ideas.</p>
        ) : (
          <ul className="small">
            {opinions.divisive.map((r) => (
              <li key={r.id}>{r.title}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
