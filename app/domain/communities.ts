/** Communities of practice: limits shared by the forms (client) and the commands (server). */
export const COMMUNITY_LIMITS = { title: 120, purpose: 2_000, reason: 500, resourceTitle: 160, resourceNotes: 1_000, url: 500, invite: 200 } as const;
