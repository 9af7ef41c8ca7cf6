import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { formValues, orFormFailure, orRespond } from "~/http/respond.server";
import { flagContent } from "~/services/commands/flags.server";
import {
  hideComment,
  hideIdea,
  mergeIdeas,
  mergePreview,
  pinIdea,
  restoreComment,
  restoreIdea,
  tagIdea,
  unpinIdea,
} from "~/services/commands/moderation.server";
import { findMergeTargets } from "~/services/lookups/moderation.server";

/**
 * With `?q=`: the ideas of the jam a facilitator may merge this one into that match what they
 * typed (the merge form's search-as-you-type). Otherwise nothing to show: the forms live on the idea page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q");
  if (q === null) return redirect(`/jams/${params.slug}/ideas/${params.id}`);
  const user = await requireUser(request);
  return Response.json({ ideas: await orRespond(async () => await findMergeTargets(user, { id: params.id, q }), { request, user, ip: context.ip }) });
}

/**
 * Moderation of one idea and its comments (facilitators), and flags
 * (participants). Each intent calls one service; the services check who may.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const meta = { ip: context.ip };
  const id = params.id;
  // A kept idea is chosen from the search's matches, or typed as a number (or pasted address).
  const intoId = values.intoId?.trim() ? values.intoId : values.intoNumber;
  const intents: Record<string, () => unknown> = {
    flag: async () => await flagContent(user, { targetType: values.targetType, targetId: values.targetId, reason: values.reason }, meta),
    hide: async () => await hideIdea(user, { id, reason: values.reason }, meta),
    restore: async () => await restoreIdea(user, { id }, meta),
    pin: async () => await pinIdea(user, { id }, meta),
    unpin: async () => await unpinIdea(user, { id }, meta),
    tag: async () => await tagIdea(user, { id, tag: values.tag }, meta),
    "merge-preview": async () => await mergePreview(user, { id, intoId }),
    merge: async () => await mergeIdeas(user, { id, intoId }, meta),
    "hide-comment": async () => await hideComment(user, { id: values.commentId, reason: values.reason }, meta),
    "restore-comment": async () => await restoreComment(user, { id: values.commentId }, meta),
  };
  const work = Object.hasOwn(intents, values.intent ?? "") ? intents[values.intent!] : undefined;
  // A resource route: an answer reached without the client's data request must be a real Response to keep its status.
  if (!work) return Response.json({ formError: "Unknown action." }, { status: 400 });
  const outcome = await orFormFailure(work, { request, user, ip: context.ip, values });
  if (!outcome.ok) return outcome.response;
  // Without JavaScript the form was a plain post: back to the idea page.
  if (values.js !== "1") return redirect(`/jams/${params.slug}/ideas/${id}`);
  return { ok: true as const, intent: values.intent!, result: outcome.result };
}
