import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { attachmentResponse } from "~/http/attachment-response.server";

/** An attachment: a document to download, or an image at page size (app/http/attachment-response.server.ts). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await attachmentResponse(user, { id: params.id });
}
