import type { LoaderFunctionArgs } from "@remix-run/node";
import { listResponse, schemas } from "~/domain/scim/resources";
import { methodNotAllowed, scimBase, scimEndpoint, scimJson } from "~/http/scim.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  scimEndpoint(request, () => {
    const all = schemas(scimBase(request));
    return scimJson(listResponse(all, all.length, 1));
  });
export const action = ({ request }: LoaderFunctionArgs) => methodNotAllowed(request);
