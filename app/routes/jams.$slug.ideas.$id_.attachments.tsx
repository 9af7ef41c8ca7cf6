import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guard.server";
import { AttachmentsSection } from "~/components/attachments";
import { formFailureOf } from "~/components/form";
import { JamCrumbs } from "~/components/jam-header";
import { EmptyState } from "~/components/ui";
import { orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { discardFiles, readUploadForm } from "~/http/uploads.server";
import { attachToIdea, prepareUploads, removeAttachment } from "~/services/commands/attachments.server";
import { ideaAttachmentsPanel } from "~/services/pages/attachments.server";
import { NotFound } from "~/services/errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Files of “${data?.ideaTitle ?? "an idea"}” · Jamboree` }];

/** An idea's files on a page of their own: where adding or removing a file lands without JavaScript. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await orRespond(
    async () => {
      const panel = await ideaAttachmentsPanel(user, { ideaId: Number(params.id) });
      if (panel.jamSlug !== params.slug) throw new NotFound("No such idea.");
      return panel;
    },
    { request, user, ip: context.ip },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ctx = { request, user, ip: context.ip };
  const form = await readUploadForm(request);
  const values = form.values;
  try {
    const here = `/jams/${params.slug}/ideas/${params.id}`;
    if (values.intent === "attach") {
      const outcome = await orFormFailure(async () => await attachToIdea(user, { ideaId: params.id }, await prepareUploads(form.files, form.refusals)), { ...ctx, values });
      if (!outcome.ok) return outcome.response;
      return redirect(`/jams/${outcome.result.jamSlug}/ideas/${outcome.result.ideaId}#attachments`);
    }
    if (values.intent === "remove") {
      const outcome = await orFormFailure(async () => await removeAttachment(user, { ideaId: params.id, attachmentId: values.attachmentId }), { ...ctx, values });
      if (!outcome.ok) return outcome.response;
      return redirect(`${here}#attachments`);
    }
    return unknownIntent();
  } finally {
    discardFiles(form.files);
  }
}

export default function IdeaAttachmentsPage() {
  const panel = useLoaderData<typeof loader>();
  const failure = formFailureOf(useActionData<typeof action>());
  const ideaHref = `/jams/${panel.jamSlug}/ideas/${panel.ideaId}`;
  return (
    <>
      <JamCrumbs slug={panel.jamSlug} title={panel.jamTitle}>
        <Link to={ideaHref}>{panel.ideaTitle}</Link>
      </JamCrumbs>
      <div className="page-head">
        <h1>Files</h1>
      </div>
      {panel.items.length === 0 && !panel.canAdd ? (
        <EmptyState title="No files">This idea carries no files, and cannot take any now.</EmptyState>
      ) : (
        <AttachmentsSection panel={panel} failure={failure} />
      )}
      <p className="section">
        <Link to={`${ideaHref}#attachments`}>Back to the idea</Link>
      </p>
    </>
  );
}
