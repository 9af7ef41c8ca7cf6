/**
 * Drives the directory sync routes (app/routes/scim.v2.*) with real Request objects, as the
 * server hands them to Remix: the route for the path, its loader for GET and action otherwise.
 */
import * as discovery from "~/routes/scim.v2.ServiceProviderConfig";
import * as groups from "~/routes/scim.v2.Groups";
import * as group from "~/routes/scim.v2.Groups_.$id";
import * as types from "~/routes/scim.v2.ResourceTypes";
import * as type from "~/routes/scim.v2.ResourceTypes_.$id";
import * as schemaList from "~/routes/scim.v2.Schemas";
import * as schema from "~/routes/scim.v2.Schemas_.$id";
import * as users from "~/routes/scim.v2.Users";
import * as user from "~/routes/scim.v2.Users_.$id";
import * as other from "~/routes/scim.v2.$";

export const SCIM_TEST_TOKEN = "scim-test-token-0123456789abcdef0123456789";

type RouteModule = {
  loader: (args: never) => Promise<Response>;
  action: (args: never) => Promise<Response>;
};

const ROUTES: [RegExp, RouteModule][] = [
  [/^\/ServiceProviderConfig$/, discovery],
  [/^\/ResourceTypes$/, types],
  [/^\/ResourceTypes\/(?<id>[^/]+)$/, type],
  [/^\/Schemas$/, schemaList],
  [/^\/Schemas\/(?<id>[^/]+)$/, schema],
  [/^\/Users$/, users],
  [/^\/Users\/(?<id>[^/]+)$/, user],
  [/^\/Groups$/, groups],
  [/^\/Groups\/(?<id>[^/]+)$/, group],
];

export interface ScimCall {
  /** The bearer token sent (the test token unless given; null sends no Authorization header). */
  token?: string | null;
  headers?: Record<string, string>;
  /** The body as it is sent, when it is not JSON of `body`. */
  raw?: string;
}

export interface ScimAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One SCIM request to `path` (after /scim/v2, with its query), answered by its route. */
export async function scim(method: string, path: string, body?: unknown, call: ScimCall = {}): Promise<ScimAnswer> {
  const url = new URL(`http://jamboree.test/scim/v2${path}`);
  const token = call.token === undefined ? SCIM_TEST_TOKEN : call.token;
  const payload = call.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const request = new Request(url, {
    method,
    headers: {
      ...(token !== null ? { Authorization: `Bearer ${token}` } : {}),
      ...(payload !== undefined ? { "Content-Type": "application/scim+json" } : {}),
      ...call.headers,
    },
    body: payload,
  });
  const match = ROUTES.map(([pattern, module]) => ({ found: pattern.exec(decodeURIComponent(url.pathname.replace(/^\/scim\/v2/, ""))), module })).find((r) => r.found);
  const module = match?.module ?? (other as unknown as RouteModule);
  const params = { ...(match?.found?.groups ?? {}), "*": url.pathname };
  const args = { request, params, context: { ip: "192.0.2.44", nonce: "" } } as never;
  const response = method === "GET" || method === "HEAD" ? await module.loader(args) : await module.action(args);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
