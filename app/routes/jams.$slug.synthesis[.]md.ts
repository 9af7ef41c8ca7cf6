import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { attachment } from "~/http/download.server";
import { orRespond } from "~/http/respond.server";
import { synthesisMarkdownExport, versionParam } from "~/services/pages/exports.server";

/** GET /jams/:slug/synthesis.md: the synthesis report as a Markdown download (staff may pass ?version=). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const versionId = versionParam(new URL(request.url).searchParams.get("version"));
  const file = await orRespond(async () => await synthesisMarkdownExport(user, params.slug ?? "", { versionId }), { request, user, ip: context.ip });
  return attachment(file, "text/markdown");
}
