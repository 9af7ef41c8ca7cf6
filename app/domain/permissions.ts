export const ROLES = ["participant", "facilitator", "leader", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Role-level capabilities. Object-level checks live in the services. */
const CAPABILITIES = {
  manageJams: ["facilitator", "admin"],
  seeDraftJams: ["facilitator", "leader", "admin"],
  seeHiddenLeaderboards: ["facilitator", "leader", "admin"],
  administerPeople: ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(role: Role, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  participant: "Participant",
  facilitator: "Facilitator",
  leader: "Leader",
  admin: "Admin",
};
