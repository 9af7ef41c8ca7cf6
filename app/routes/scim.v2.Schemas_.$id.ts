import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/domain/scim/errors";
import { schemas } from "~/domain/scim/resources";
import { methodNotAllowed, scimBase, scimEndpoint, scimJson } from "~/http/scim.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  scimEndpoint(request, () => {
    const schema = schemas(scimBase(request)).find((s) => s.id === params.id);
    if (!schema) throw notFound(`No schema ${JSON.stringify(params.id)}.`);
    return scimJson(schema);
  });
export const action = ({ request }: LoaderFunctionArgs) => methodNotAllowed(request);
