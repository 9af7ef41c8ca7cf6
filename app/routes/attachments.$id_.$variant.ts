import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guard.server";
import { attachmentResponse } from "~/http/attachment-response.server";

/** An image attachment at another size: `card` (the thumbnail idea cards show). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return await attachmentResponse(user, { id: params.id, variant: params.variant });
}
