export const ROLES = ["participant", "facilitator", "leader", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Role-level capabilities. Object-level checks live in the services. */
const CAPABILITIES = {
  manageJams: ["facilitator", "admin"],
  seeDraftJams: ["facilitator", "leader", "admin"],
  seeHiddenLeaderboards: ["facilitator", "leader", "admin"],
  /** The live command centre (watching); acting on flags and notes needs manageJams. */
  watchCommandCentre: ["facilitator", "leader", "admin"],
  /** Follow-up actions: create them, change their status, owner and due date. */
  manageActions: ["facilitator", "leader", "admin"],
  /** Synthesis versions that are not published yet (and their exports). */
  seeUnpublishedSynthesis: ["facilitator", "leader", "admin"],
  /** Influencers, bridges and the drawn people network (participants see only their own). */
  seePeopleNetwork: ["facilitator", "leader", "admin"],
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
