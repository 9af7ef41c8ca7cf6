import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { QuestionList } from "~/components/questions";
import { QUESTION_TAB_LABELS, QUESTION_TABS, type QuestionTab } from "~/domain/questions";
import { orRespond } from "~/http/respond.server";
import { questionsListPage } from "~/services/pages/questions.server";
import { LearningNav } from "~/components/learning-nav";

export const meta: MetaFunction = () => [{ title: "Questions · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return await orRespond(
    async () => await questionsListPage(user, { tab: url.searchParams.get("tab"), page: url.searchParams.get("page"), q: url.searchParams.get("q") }),
    { request, user, ip: context.ip },
  );
}

function href(tab: QuestionTab, page = 1, q = "") {
  const search = new URLSearchParams();
  if (tab !== "open") search.set("tab", tab);
  if (page > 1) search.set("page", String(page));
  if (q) search.set("q", q);
  const s = search.toString();
  return s ? `/questions?${s}` : "/questions";
}

const EMPTY: Record<QuestionTab, { title: string; body: string }> = {
  mine: { title: "You have not asked anything yet", body: "Ask a question and it goes to the colleagues whose ideas on it drew the most support." },
  asked: { title: "Nobody has asked you anything yet", body: "When a colleague's question matches what you have written about, it shows here." },
  open: { title: "No open questions", body: "Every question has an answer. Ask one of your own?" },
  answered: { title: "No answered questions yet", body: "Questions with answers show here, so the next person finds them." },
};

export default function Questions() {
  const { tab, page, pages, q, total, questions, waitingForMe } = useLoaderData<typeof loader>();
  return (
    <>
      <LearningNav />
      <div className="page-head">
        <div>
          <h1>Questions</h1>
          <p>Ask the people who know, and find what colleagues already asked.</p>
        </div>
        <div className="row">
          <Link to="/questions/new" className="btn">
            Ask a question
          </Link>
        </div>
      </div>
      <Form method="get" action="/questions" className="inline-form" role="search">
        {tab !== "open" ? <input type="hidden" name="tab" value={tab} /> : null}
        <div className="field">
          <label htmlFor="questions-q">Search questions and accepted answers</label>
          <input id="questions-q" name="q" type="search" className="input" defaultValue={q} placeholder="e.g. expense forms" />
        </div>
        <button type="submit" className="btn btn--secondary btn--small">
          Search
        </button>
      </Form>
      <nav className="tabs section" aria-label="Questions">
        {QUESTION_TABS.map((t) => (
          <Link key={t} to={href(t, 1, q)} aria-current={t === tab ? "page" : undefined}>
            {QUESTION_TAB_LABELS[t]}
            {t === "asked" && waitingForMe > 0 ? <span className="tab-count">{waitingForMe}</span> : null}
          </Link>
        ))}
      </nav>
      <section className="section stack" aria-label={QUESTION_TAB_LABELS[tab]}>
        {q ? (
          <p className="small muted" role="status">
            {total === 0 ? `Nothing matches “${q}”.` : `${total} ${total === 1 ? "question matches" : "questions match"} “${q}”.`}{" "}
            <Link to={href(tab)}>Clear the search</Link>
          </p>
        ) : null}
        <QuestionList
          questions={questions}
          empty={
            q
              ? { title: "No questions match", body: "Try other words, or ask it yourself.", action: <Link to={`/questions/new?q=${encodeURIComponent(q)}`} className="btn btn--secondary">Ask “{q}”</Link> }
              : { ...EMPTY[tab], action: tab === "mine" || tab === "open" ? <Link to="/questions/new" className="btn btn--secondary">Ask a question</Link> : undefined }
          }
        />
        {pages > 1 ? (
          <nav className="pager" aria-label="Pages">
            {page > 1 ? (
              <Link className="btn btn--secondary" to={href(tab, page - 1, q)}>
                Newer
              </Link>
            ) : null}
            <span className="small muted pager__where">
              Page {page} of {pages}
            </span>
            {page < pages ? (
              <Link className="btn btn--secondary" to={href(tab, page + 1, q)}>
                Older
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}
