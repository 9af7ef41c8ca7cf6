/**
 * Jamboree's people and departments as SCIM resources (RFC 7643), and the discovery documents
 * (ServiceProviderConfig, ResourceTypes, Schemas). Pure: the service passes rows and the base URL.
 */
import { CORE_GROUP, CORE_USER, ENTERPRISE_USER } from "./filter";

export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/** Results a list returns when the request does not say, and at most. */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 200;

export interface PersonRecord {
  id: number;
  email: string;
  name: string;
  externalId: string | null;
  active: boolean;
  createdAt: number;
  updatedAt: number | null;
  department: { id: number; name: string } | null;
}

export interface DepartmentRecord {
  id: number;
  name: string;
  externalId: string | null;
  createdAt: number | null;
  updatedAt: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

function meta(resourceType: "User" | "Group", location: string, created: number | null, modified: number | null, version: string | null) {
  return {
    resourceType,
    ...(created !== null ? { created: iso(created) } : {}),
    ...((modified ?? created) !== null ? { lastModified: iso((modified ?? created)!) } : {}),
    location,
    ...(version ? { version } : {}),
  };
}

/** A person as a SCIM User. `version` is the resource's weak ETag (computed by the caller). */
export function userResource(person: PersonRecord, base: string, version: string | null = null) {
  return {
    schemas: [CORE_USER, ...(person.department ? [ENTERPRISE_USER] : [])],
    id: String(person.id),
    ...(person.externalId ? { externalId: person.externalId } : {}),
    userName: person.email,
    name: { formatted: person.name },
    displayName: person.name,
    emails: [{ value: person.email, type: "work", primary: true }],
    active: person.active,
    groups: person.department
      ? [{ value: String(person.department.id), display: person.department.name, $ref: `${base}/Groups/${person.department.id}` }]
      : [],
    ...(person.department ? { [ENTERPRISE_USER]: { department: person.department.name } } : {}),
    meta: meta("User", `${base}/Users/${person.id}`, person.createdAt, person.updatedAt, version),
  };
}

/** A department as a SCIM Group; `members` left out when the request excluded them. */
export function groupResource(
  department: DepartmentRecord,
  members: { id: number; name: string }[] | null,
  base: string,
  version: string | null = null,
) {
  return {
    schemas: [CORE_GROUP],
    id: String(department.id),
    ...(department.externalId ? { externalId: department.externalId } : {}),
    displayName: department.name,
    ...(members ? { members: members.map((m) => ({ value: String(m.id), display: m.name, type: "User", $ref: `${base}/Users/${m.id}` })) } : {}),
    meta: meta("Group", `${base}/Groups/${department.id}`, department.createdAt, department.updatedAt, version),
  };
}

export function listResponse<T>(resources: T[], totalResults: number, startIndex: number) {
  return { schemas: [LIST_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/**
 * Only these attributes of a resource are returned (`attributes`), or all but these
 * (`excludedAttributes`); `id`, `schemas` and `meta` always are. Names are top-level and
 * case-insensitive (`name.givenName` keeps all of `name`); an extension's URN names its object.
 */
export function project<T extends Record<string, unknown>>(resource: T, attributes: string[] | null, excluded: string[] | null): Partial<T> {
  const always = new Set(["id", "schemas", "meta"]);
  const top = (name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("urn:")) {
      const ext = ENTERPRISE_USER.toLowerCase();
      return lower.startsWith(ext) ? ext : lower;
    }
    return lower.split(".")[0]!;
  };
  const keep = attributes ? new Set(attributes.map(top)) : null;
  const drop = excluded ? new Set(excluded.map(top)) : null;
  return Object.fromEntries(
    Object.entries(resource).filter(([key]) => {
      const lower = key.toLowerCase();
      if (always.has(key)) return true;
      if (keep) return keep.has(lower);
      if (drop) return !drop.has(lower);
      return true;
    }),
  ) as Partial<T>;
}

export function serviceProviderConfig(base: string) {
  return {
    schemas: [SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "The token set in the server's SCIM_TOKEN setting, sent as “Authorization: Bearer <token>”.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
  };
}

export function resourceTypes(base: string) {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "A person who takes part in jams",
      schema: CORE_USER,
      schemaExtensions: [{ schema: ENTERPRISE_USER, required: false }],
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "A department (a person is in at most one)",
      schema: CORE_GROUP,
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/Group` },
    },
  ];
}

type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
interface SchemaAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: string;
  uniqueness: string;
  subAttributes?: SchemaAttribute[];
  referenceTypes?: string[];
}
function attribute(
  name: string,
  description: string,
  options: {
    type?: "string" | "boolean" | "complex" | "reference";
    multiValued?: boolean;
    required?: boolean;
    caseExact?: boolean;
    mutability?: Mutability;
    uniqueness?: "none" | "server" | "global";
    subAttributes?: SchemaAttribute[];
    referenceTypes?: string[];
  } = {},
): SchemaAttribute {
  return {
    name,
    type: options.type ?? "string",
    multiValued: options.multiValued ?? false,
    description,
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? "readWrite",
    returned: "default",
    uniqueness: options.uniqueness ?? "none",
    ...(options.subAttributes ? { subAttributes: options.subAttributes } : {}),
    ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
  };
}

export function schemas(base: string) {
  const user = {
    schemas: [SCHEMA_SCHEMA],
    id: CORE_USER,
    name: "User",
    description: "A person. Jamboree keeps one name, one e-mail (the userName), the directory's id and whether the person is active.",
    attributes: [
      attribute("userName", "The person's e-mail address (lower-cased; unique).", { required: true, uniqueness: "server" }),
      attribute("name", "The person's name: formatted, else given and family name, else displayName.", {
        type: "complex",
        subAttributes: [
          attribute("formatted", "The whole name."),
          attribute("givenName", "Given name."),
          attribute("familyName", "Family name."),
        ],
      }),
      attribute("displayName", "The name shown; used when name is not given."),
      attribute("emails", "The person's e-mail address (the same as userName).", {
        type: "complex",
        multiValued: true,
        mutability: "readOnly",
        subAttributes: [attribute("value", "The address."), attribute("type", "work"), attribute("primary", "Always true.", { type: "boolean" })],
      }),
      attribute("active", "false deactivates the person: sign-in refused, sessions ended; what they wrote stays.", { type: "boolean" }),
      attribute("externalId", "The directory's id for the person.", { caseExact: true }),
      attribute("groups", "The person's department (at most one).", {
        type: "complex",
        multiValued: true,
        mutability: "readOnly",
        subAttributes: [attribute("value", "The group id."), attribute("display", "The department's name.")],
      }),
    ],
    meta: { resourceType: "Schema", location: `${base}/Schemas/${CORE_USER}` },
  };
  const enterprise = {
    schemas: [SCHEMA_SCHEMA],
    id: ENTERPRISE_USER,
    name: "EnterpriseUser",
    description: "Of the enterprise extension, only department is kept.",
    attributes: [attribute("department", "The person's department by name (created when new); a directory group's membership takes precedence.")],
    meta: { resourceType: "Schema", location: `${base}/Schemas/${ENTERPRISE_USER}` },
  };
  const group = {
    schemas: [SCHEMA_SCHEMA],
    id: CORE_GROUP,
    name: "Group",
    description: "A department. Adding a person moves them from any other department.",
    attributes: [
      attribute("displayName", "The department's name (unique).", { required: true, uniqueness: "server" }),
      attribute("externalId", "The directory's id for the group.", { caseExact: true }),
      attribute("members", "The people in the department.", {
        type: "complex",
        multiValued: true,
        subAttributes: [attribute("value", "A User id.", { mutability: "immutable" }), attribute("display", "The person's name.", { mutability: "readOnly" })],
      }),
    ],
    meta: { resourceType: "Schema", location: `${base}/Schemas/${CORE_GROUP}` },
  };
  return [user, enterprise, group];
}
