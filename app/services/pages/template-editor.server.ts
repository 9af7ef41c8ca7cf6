import { sql, inArray, eq } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { managedChallenge, fieldsOf } from "~/services/lookups/templates.server";
import { db } from "~db/client";
import { ideaFieldValues, ideas } from "~db/schema";

/** The template editor page: the challenge, its fields (retired last) and how many ideas answered each. */
export async function templateEditorPage(viewer: SessionUser, input: { challengeId: number; jamSlug: string }) {
  const conn = db();
  const { challenge, jam } = await managedChallenge(conn, viewer, input.challengeId, input.jamSlug);
  const fields = await fieldsOf(conn, challenge.id, { withRetired: true });
  const counts = new Map(
    fields.length === 0
      ? []
      : (await conn
          .select({ fieldId: ideaFieldValues.fieldId, n: sql<number>`count(*)` })
          .from(ideaFieldValues)
          .where(inArray(ideaFieldValues.fieldId, fields.map((f) => f.id)))
          .groupBy(ideaFieldValues.fieldId)
          .all())
          .map((r) => [r.fieldId, r.n]),
  );
  const ideaCount = (await conn.select({ n: sql<number>`count(*)` }).from(ideas).where(eq(ideas.challengeId, challenge.id)).get())?.n ?? 0;
  return {
    jam: { slug: jam.slug, title: jam.title },
    challenge: { id: challenge.id, title: challenge.title },
    ideaCount,
    fields: fields.map((f) => ({ ...f, answers: counts.get(f.id) ?? 0 })),
  };
}
