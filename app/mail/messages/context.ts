import { linkTo } from "./layout";

/** What every jam e-mail needs besides its own facts. */
export interface MailContext {
  /** The address people reach the app at (`PUBLIC_URL`): every link is built from it. */
  baseUrl: string;
}

/** The absolute address of one of the app's pages. */
export function pageUrl(context: MailContext, path: string): string {
  return linkTo(context.baseUrl, path);
}

/** A jam as every message names it. */
export interface JamFacts {
  slug: string;
  title: string;
  startsAt: number;
  endsAt: number;
}

/** The path of a jam's page, of one of its ideas, of its synthesis. */
export const jamPath = (jam: Pick<JamFacts, "slug">) => `/jams/${encodeURIComponent(jam.slug)}`;
export const ideaPath = (jam: Pick<JamFacts, "slug">, ideaId: number) => `${jamPath(jam)}/ideas/${ideaId}`;

/**
 * Why a person hears about a jam: they were invited to it, they took part in it, or nobody was
 * invited to it and it is open to everyone.
 */
export type Audience = "invited" | "took_part" | "everyone";

export function audienceReason(audience: Audience): string {
  switch (audience) {
    case "invited":
      return "You get this because you were invited to this jam.";
    case "took_part":
      return "You get this because you took part in this jam.";
    case "everyone":
      return "You get this because this jam is open to everyone in your organisation.";
  }
}
