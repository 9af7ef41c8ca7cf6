import type { LoaderFunctionArgs } from "@remix-run/node";
import { serviceProviderConfig } from "~/domain/scim/resources";
import { methodNotAllowed, scimBase, scimEndpoint, scimJson } from "~/http/scim.server";

export const loader = ({ request }: LoaderFunctionArgs) => scimEndpoint(request, () => scimJson(serviceProviderConfig(scimBase(request))));
export const action = ({ request }: LoaderFunctionArgs) => methodNotAllowed(request);
