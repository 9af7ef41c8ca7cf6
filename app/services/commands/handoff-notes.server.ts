import { z } from "zod";
import type { SessionUser } from "~/auth/session.server";
import { readableText } from "~/domain/text";
import { publish } from "~/live/bus";
import { recordAudit } from "~/services/effects/audit.server";
import { validate } from "~/services/errors";
import { requireCapability } from "~/services/lookups/guards.server";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { db, transaction } from "~db/client";
import { handoffNotes } from "~db/schema";

export const HandoffNoteInput = z.object({
  body: readableText(
    z
      .string({ error: "Write the note first." })
      .trim()
      .min(1, "Write the note first.")
      .max(1000, "Keep the note under 1,000 characters."),
    { multiline: true },
  ),
});

/** A note for the next facilitator shift, shown in the command centre. */
export async function postHandoffNote(actor: SessionUser, slug: string, input: unknown, meta: { ip: string | null; now?: number }) {
  const conn = db();
  requireCapability(actor, "manageJams", "Only facilitators can leave hand-off notes.");
  const jam = await findVisibleJam(conn, actor, slug);
  const { body } = validate(HandoffNoteInput, input);
  const now = meta.now ?? Date.now();
  return await transaction(async (tx) => {
    const row = await tx.insert(handoffNotes).values({ jamId: jam.id, authorId: actor.id, body, createdAt: now }).returning().get();
    await recordAudit(tx, { action: "handoff_note_posted", actorId: actor.id, subject: `jam:${jam.id}`, ip: meta.ip, at: now, detail: { noteId: row.id } });
    await publish(tx, jam.id, "moderation.changed", {});
    return row;
  });
}
