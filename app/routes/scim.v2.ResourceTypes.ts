import type { LoaderFunctionArgs } from "@remix-run/node";
import { listResponse, resourceTypes } from "~/domain/scim/resources";
import { methodNotAllowed, scimBase, scimEndpoint, scimJson } from "~/http/scim.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  scimEndpoint(request, () => {
    const types = resourceTypes(scimBase(request));
    return scimJson(listResponse(types, types.length, 1));
  });
export const action = ({ request }: LoaderFunctionArgs) => methodNotAllowed(request);
