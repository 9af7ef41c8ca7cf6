import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { formFailureOf, newClientKey } from "~/components/form";
import { AskQuestionForm, QuestionList } from "~/components/questions";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { askPage } from "~/services/pages/questions.server";
import { askQuestionCommand } from "~/services/commands/questions.server";

export const meta: MetaFunction = () => [{ title: "Ask a question · Jamboree" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = await orRespond(async () => await askPage(user, { theme: url.searchParams.get("theme"), q: url.searchParams.get("q"), community: url.searchParams.get("community") }), { request, user, ip: context.ip });
  return { ...page, clientKey: newClientKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  if (values.intent !== "ask") return unknownIntent();
  const outcome = await orFormFailure(async () => await askQuestionCommand(user, values), { request, user, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  return redirect(`/questions/${outcome.result.id}?asked=${outcome.result.asked}`);
}

export default function AskQuestion() {
  const { theme, title, similar, clientKey, community, communities } = useLoaderData<typeof loader>();
  const failure = formFailureOf(useActionData<typeof action>());
  return (
    <>
      <div className="breadcrumbs">
        {community ? <Link to={`/communities/${community.slug}`}>{community.title}</Link> : <Link to="/questions">Questions</Link>} /
      </div>
      <div className="page-head">
        <div>
          <h1>Ask the people who know</h1>
          <p>Your question goes to colleagues whose ideas on it drew support, across departments most of all.</p>
        </div>
      </div>
      <AskQuestionForm clientKey={clientKey} failure={failure} theme={theme} title={title} community={community} communities={communities} />
      {similar.length > 0 ? (
        <section className="section stack" aria-labelledby="similar-heading">
          <h2 id="similar-heading">Already asked</h2>
          <QuestionList questions={similar} empty={{ title: "" }} />
        </section>
      ) : null}
    </>
  );
}
