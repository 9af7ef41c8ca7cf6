import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/domain/scim/errors";
import { scimEndpoint } from "~/http/scim.server";

/** Any other address under /scim/v2: a SCIM 404 (after the token), not the app's page. */
const nothingHere = ({ request }: LoaderFunctionArgs) =>
  scimEndpoint(request, () => {
    throw notFound("No such SCIM endpoint: this server has /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas.");
  });
export const loader = nothingHere;
export const action = nothingHere;
