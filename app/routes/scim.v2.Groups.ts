import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError } from "~/domain/scim/errors";
import { groupResource, listResponse, project } from "~/domain/scim/resources";
import { listQuery, readJson, scimBase, scimEndpoint, scimJson, versionOf, wantsMembers } from "~/http/scim.server";
import { createGroup } from "~/services/commands/scim.server";
import { listDepartments } from "~/services/pages/scim.server";
import { mapInOrder } from "~/domain/in-order";

/** GET /scim/v2/Groups: departments, filtered (displayName eq "…") and paged; members unless excluded. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  scimEndpoint(request, async () => {
    const query = listQuery(request);
    const base = scimBase(request);
    const withMembers = wantsMembers(query);
    const { total, groups, startIndex } = await listDepartments(query, withMembers);
    const resources = await mapInOrder(groups, async ({ department, members, allMembers }) => {
      const version = versionOf(groupResource(department, allMembers, base));
      const resource = groupResource(department, members, base);
      return project({ ...resource, meta: { ...resource.meta, version } }, query.attributes, query.excludedAttributes);
    });
    return scimJson(listResponse(resources, total, startIndex));
  });

/** POST /scim/v2/Groups: a new department (409 uniqueness when the name is taken). */
export const action = ({ request, context }: ActionFunctionArgs) =>
  scimEndpoint(request, async () => {
    if (request.method !== "POST") throw new ScimError(405, `${request.method} is not supported here; use POST to create a Group.`);
    const { department, members } = await createGroup(await readJson(request), { ip: context.ip ?? null });
    const resource = groupResource(department, members, scimBase(request));
    const version = versionOf(resource);
    return scimJson({ ...resource, meta: { ...resource.meta, version } }, 201, { Location: resource.meta.location, ETag: version });
  });
