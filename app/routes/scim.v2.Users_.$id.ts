import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError } from "~/domain/scim/errors";
import { project, userResource, type PersonRecord } from "~/domain/scim/resources";
import { checkIfMatch, listQuery, readJson, scimBase, scimEndpoint, scimJson, versionOf } from "~/http/scim.server";
import { deletePerson, patchPerson, replacePerson } from "~/services/commands/scim.server";
import { getPerson } from "~/services/pages/scim.server";

function respond(request: Request, person: PersonRecord, status = 200) {
  const query = listQuery(request);
  const resource = userResource(person, scimBase(request));
  const version = versionOf(resource);
  return scimJson(project({ ...resource, meta: { ...resource.meta, version } }, query.attributes, query.excludedAttributes), status, { ETag: version });
}

/** GET /scim/v2/Users/:id */
export const loader = ({ request, params }: LoaderFunctionArgs) => scimEndpoint(request, async () => respond(request, await getPerson(params.id!)));

/**
 * PUT (replace), PATCH (change; `active: false` deactivates) and DELETE (deactivates: the person
 * can no longer sign in, what they wrote stays) of /scim/v2/Users/:id. With If-Match, only while
 * the person is at that version.
 */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  scimEndpoint(request, async () => {
    const id = params.id!;
    const meta = { ip: context.ip ?? null };
    const ifMatch = (current: PersonRecord) => checkIfMatch(request, versionOf(userResource(current, scimBase(request))));
    switch (request.method) {
      case "PUT":
        return respond(request, await replacePerson(id, await readJson(request), meta, ifMatch));
      case "PATCH":
        return respond(request, await patchPerson(id, await readJson(request), meta, ifMatch));
      case "DELETE":
        await deletePerson(id, meta, ifMatch);
        return new Response(null, { status: 204 });
      default:
        throw new ScimError(405, `${request.method} is not supported on a User; use GET, PUT, PATCH or DELETE.`);
    }
  });
