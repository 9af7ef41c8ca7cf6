import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/domain/scim/errors";
import { resourceTypes } from "~/domain/scim/resources";
import { methodNotAllowed, scimBase, scimEndpoint, scimJson } from "~/http/scim.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  scimEndpoint(request, () => {
    const type = resourceTypes(scimBase(request)).find((t) => t.id === params.id);
    if (!type) throw notFound(`No resource type ${JSON.stringify(params.id)}.`);
    return scimJson(type);
  });
export const action = ({ request }: LoaderFunctionArgs) => methodNotAllowed(request);
