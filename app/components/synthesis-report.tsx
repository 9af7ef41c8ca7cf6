import type { ActionStatus } from "~/domain/actions";
import { ActionStatusBadge, DueDate } from "~/components/actions";
import { LocalTime } from "~/components/time";
import { plural } from "~/components/ui";

interface IdeaRef {
  id: number;
  title: string;
  votes: number;
}

interface ActionRef {
  id: number;
  title: string;
  status: ActionStatus;
  ownerName: string;
  dueDate: number | null;
  themeLabel: string | null;
  declineReason: string | null;
}

interface ReportThemeData {
  id: number;
  label: string;
  keywords: string[];
  isOther: boolean;
  size: number;
  support: number;
  representatives: IdeaRef[];
  actions: ActionRef[];
}

export interface SynthesisReportData {
  jam: { slug: string; title: string; startsAt: number; endsAt: number };
  version: { number: number; kind: string; publishedAt: number | null; createdAt: number; challengeTitle: string | null };
  themes: (ReportThemeData & { subThemes: ReportThemeData[] })[];
  ideaCount: number;
  opinions: {
    participants: number | null;
    groups: { name: string; size: number | null; representatives: IdeaRef[] }[];
    consensus: IdeaRef[];
    divisive: IdeaRef[];
  } | null;
  actions: ActionRef[];
  generatedAt: number;
}

/** The synthesis report, laid out to read on screen and to print (see `.report` in app.css). */
export function SynthesisReportView({ report }: { report: SynthesisReportData }) {
  const v = report.version;
  return (
    <article className="report" aria-labelledby="report-title">
      <header className="report__head">
        <p className="small muted">Synthesis report</p>
        <h1 id="report-title">{report.jam.title}</h1>
        <p className="small muted">
          Version {v.number} ({v.kind}
          {v.publishedAt ? (
            <>
              , published <LocalTime at={v.publishedAt} withTime={false} />
            </>
          ) : (
            ", not published"
          )}
          ){v.challengeTitle ? ` · challenge: ${v.challengeTitle}` : ""} · {plural(report.ideaCount, "idea")} in{" "}
          {plural(report.themes.length, "theme")} · generated <LocalTime at={report.generatedAt} />
        </p>
      </header>

      <section aria-labelledby="report-themes">
        <h2 id="report-themes">Themes</h2>
        <ol className="report__themes">
          {report.themes.map((t) => (
            <li key={t.id} className="report__theme">
              <h3>{t.label}</h3>
              <p className="small muted">
                {t.size.toLocaleString("en")} {t.size === 1 ? "idea" : "ideas"} · support {t.support.toLocaleString("en")}
                {t.keywords.length > 0 ? ` · keywords: ${t.keywords.join(", ")}` : ""}
              </p>
              {t.representatives.length > 0 ? (
                <>
                  <h4>Representative ideas</h4>
                  <ul>
                    {t.representatives.map((i) => (
                      <li key={i.id}>
                        {i.title}{" "}
                        <span className="muted small">
                          ({i.votes} {i.votes === 1 ? "vote" : "votes"})
                        </span>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {t.actions.length > 0 ? (
                <>
                  <h4>Actions</h4>
                  <ul>
                    {t.actions.map((a) => (
                      <li key={a.id}>
                        {a.title} · <ActionStatusBadge status={a.status} /> · owner {a.ownerName}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
              {t.subThemes.length > 0 ? (
                <>
                  <h4>Sub-themes</h4>
                  <ul className="report__subthemes">
                    {t.subThemes.map((sub) => (
                      <li key={sub.id}>
                        <strong>{sub.label}</strong>{" "}
                        <span className="muted small">
                          ({sub.size} {sub.size === 1 ? "idea" : "ideas"} · support {sub.support})
                        </span>
                        {sub.representatives.length > 0 ? (
                          <ul>
                            {sub.representatives.slice(0, 3).map((i) => (
                              <li key={i.id}>{i.title}</li>
                            ))}
                          </ul>
                        ) : null}
                        {sub.actions.map((a) => (
                          <div key={a.id} className="small">
                            Action: {a.title} · <ActionStatusBadge status={a.status} /> · owner {a.ownerName}
                          </div>
                        ))}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {report.opinions && (report.opinions.consensus.length > 0 || report.opinions.divisive.length > 0) ? (
        <section aria-labelledby="report-opinions" className="report__opinions">
          <h2 id="report-opinions">What people agree and disagree on</h2>
          {report.opinions.consensus.length > 0 ? (
            <>
              <h3>Where people agree</h3>
              <ul>
                {report.opinions.consensus.map((i) => (
                  <li key={i.id}>{i.title}</li>
                ))}
              </ul>
            </>
          ) : null}
          {report.opinions.divisive.length > 0 ? (
            <>
              <h3>Where opinions divide</h3>
              <ul>
                {report.opinions.divisive.map((i) => (
                  <li key={i.id}>{i.title}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="report-actions">
        <h2 id="report-actions">Follow-up actions</h2>
        {report.actions.length === 0 ? (
          <p className="muted">No actions yet.</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Follow-up actions table">
            <table className="report__table">
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Theme</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Status</th>
                  <th scope="col">Due</th>
                </tr>
              </thead>
              <tbody>
                {report.actions.map((a) => (
                  <tr key={a.id}>
                    <td>{a.title}</td>
                    <td>{a.themeLabel ?? ""}</td>
                    <td>{a.ownerName}</td>
                    <td>
                      <ActionStatusBadge status={a.status} />
                      {a.status === "declined" && a.declineReason ? <div className="small">{a.declineReason}</div> : null}
                    </td>
                    <td>
                      <DueDate dueDate={a.dueDate} status={a.status} now={report.generatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
