import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ScimError } from "~/domain/scim/errors";
import { groupResource, project } from "~/domain/scim/resources";
import { checkIfMatch, listQuery, readJson, scimBase, scimEndpoint, scimJson, versionOf, wantsMembers } from "~/http/scim.server";
import { deleteGroup, patchGroup, replaceGroup, type GroupIfMatch } from "~/services/commands/scim.server";
import { getDepartment } from "~/services/pages/scim.server";

/** GET /scim/v2/Groups/:id (members unless `excludedAttributes=members`, as Entra ID asks). */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  scimEndpoint(request, async () => {
    const query = listQuery(request);
    const { department, members, allMembers } = await getDepartment(params.id!, wantsMembers(query));
    const base = scimBase(request);
    const version = versionOf(groupResource(department, allMembers, base));
    const resource = groupResource(department, members, base);
    return scimJson(project({ ...resource, meta: { ...resource.meta, version } }, query.attributes, query.excludedAttributes), 200, { ETag: version });
  });

/**
 * PUT (rename, and set members when listed), PATCH (add, remove or replace members; rename;
 * answered with 204) and DELETE (members leave; the department is archived) of a group.
 */
export const action = ({ request, params, context }: ActionFunctionArgs) =>
  scimEndpoint(request, async () => {
    const id = params.id!;
    const meta = { ip: context.ip ?? null };
    const base = scimBase(request);
    const ifMatch: GroupIfMatch = (current, members) => checkIfMatch(request, versionOf(groupResource(current, members, base)));
    switch (request.method) {
      case "PUT": {
        const { department, members } = await replaceGroup(id, await readJson(request), meta, ifMatch);
        const resource = groupResource(department, members, base);
        const version = versionOf(resource);
        return scimJson({ ...resource, meta: { ...resource.meta, version } }, 200, { ETag: version });
      }
      case "PATCH":
        await patchGroup(id, await readJson(request), meta, ifMatch);
        return new Response(null, { status: 204 });
      case "DELETE":
        await deleteGroup(id, meta, ifMatch);
        return new Response(null, { status: 204 });
      default:
        throw new ScimError(405, `${request.method} is not supported on a Group; use GET, PUT, PATCH or DELETE.`);
    }
  });
