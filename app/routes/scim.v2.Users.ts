import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError } from "~/domain/scim/errors";
import { listResponse, project, userResource } from "~/domain/scim/resources";
import { listQuery, readJson, scimBase, scimEndpoint, scimJson, versionOf } from "~/http/scim.server";
import { createPerson } from "~/services/commands/scim.server";
import { listPeople } from "~/services/pages/scim.server";

/** GET /scim/v2/Users: people, filtered (userName eq "…", externalId eq "…", …) and paged (startIndex, count). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  scimEndpoint(request, async () => {
    const query = listQuery(request);
    const base = scimBase(request);
    const { total, people, startIndex } = await listPeople(query);
    const resources = people.map((person) => {
      const resource = userResource(person, base);
      return project({ ...resource, meta: { ...resource.meta, version: versionOf(resource) } }, query.attributes, query.excludedAttributes);
    });
    return scimJson(listResponse(resources, total, startIndex));
  });

/** POST /scim/v2/Users: a new person (409 uniqueness when the userName or externalId is taken). */
export const action = ({ request, context }: ActionFunctionArgs) =>
  scimEndpoint(request, async () => {
    if (request.method !== "POST") throw new ScimError(405, `${request.method} is not supported here; use POST to create a User.`);
    const person = await createPerson(await readJson(request), { ip: context.ip ?? null });
    const resource = userResource(person, scimBase(request));
    const version = versionOf(resource);
    return scimJson({ ...resource, meta: { ...resource.meta, version } }, 201, { Location: resource.meta.location, ETag: version });
  });
