/**
 * Reports and downloads of a jam's synthesis: a Markdown report, a print page
 * (same data) and a CSV of the jam's ideas. Which synthesis version: the newest
 * published one for everybody; staff see the newest (or the one they ask for).
 * Nobody gets anything of a jam they cannot see, and anonymous authors are
 * never named.
 */
import { attachmentCounts } from "~/services/lookups/attachments.server";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth/session.server";
import { ACTION_STATUS_LABELS, formatDueDate } from "~/domain/actions";
import { csvDocumentOf, mdText } from "~/domain/export-format";
import { can } from "~/domain/permissions";
import { db, type Db } from "~db/client";
import { challenges, ideas, synthesisVersions, themeIdeas, themes, users, type Jam } from "~db/schema";
import { ideasUnder, nestThemes, themeStats } from "~/services/lookups/synthesis.server";
import { csvFieldColumns } from "~/services/lookups/templates.server";
import { jamActions } from "~/services/lookups/actions.server";
import { NotFound } from "~/services/errors";
import { findVisibleJam } from "~/services/lookups/visibility.server";
import { mapInOrder } from "~/domain/in-order";

type Version = typeof synthesisVersions.$inferSelect;

export function canSeeUnpublished(viewer: Pick<SessionUser, "role">) {
  return can(viewer.role, "seeUnpublishedSynthesis");
}

/**
 * The synthesis version a viewer gets for a jam: staff the one they name
 * (`?version=`, which must be of this jam) or the newest; everybody else the
 * newest published one. Null when there is none.
 */
export async function reportVersion(conn: Db, viewer: SessionUser, jamId: number, requested?: number | null): Promise<Version | null> {
  if (canSeeUnpublished(viewer)) {
    if (requested) {
      const chosen = await conn
        .select()
        .from(synthesisVersions)
        .where(and(eq(synthesisVersions.id, requested), eq(synthesisVersions.jamId, jamId)))
        .get();
      if (!chosen) throw new NotFound("No such synthesis version.");
      return chosen;
    }
    return await conn.select().from(synthesisVersions).where(eq(synthesisVersions.jamId, jamId)).orderBy(desc(synthesisVersions.number)).get() ?? null;
  }
  return (
    await conn
      .select()
      .from(synthesisVersions)
      .where(and(eq(synthesisVersions.jamId, jamId), isNotNull(synthesisVersions.publishedAt)))
      .orderBy(desc(synthesisVersions.number))
      .get() ?? null
  );
}

/** `?version=` as a number (anything else: none). */
export function versionParam(value: string | null | undefined): number | null {
  return value && /^\d{1,12}$/.test(value) ? Number(value) : null;
}

export interface ReportIdea {
  id: number;
  title: string;
  votes: number;
}

export interface ReportTheme {
  id: number;
  label: string;
  keywords: string[];
  isOther: boolean;
  size: number;
  support: number;
  representatives: ReportIdea[];
  actions: ReportAction[];
  /** The top-level theme of a sub-theme; null at the top level. */
  parentId: number | null;
  /** A top-level theme's sub-themes (empty when it holds its ideas itself, and on a sub-theme). */
  subThemes: ReportTheme[];
}

export interface ReportAction {
  id: number;
  title: string;
  status: keyof typeof ACTION_STATUS_LABELS;
  statusLabel: string;
  ownerName: string;
  dueDate: number | null;
  themeId: number | null;
  themeLabel: string | null;
  declineReason: string | null;
}

export interface ReportOpinions {
  participants: number | null;
  groups: { name: string; size: number | null; representatives: ReportIdea[] }[];
  consensus: ReportIdea[];
  divisive: ReportIdea[];
}

/** A JSON array of numbers or strings; anything else reads as empty. */
function jsonList(text: string | null | undefined): unknown[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const asIds = (value: unknown): number[] =>
  Array.isArray(value)
    ? value.flatMap((v) => {
        const id = typeof v === "number" ? v : v && typeof v === "object" && "id" in v ? Number((v as { id: unknown }).id) : Number.NaN;
        return Number.isInteger(id) && id > 0 ? [id] : [];
      })
    : [];

/**
 * The opinion summary stored with a version (stance challenges), read
 * defensively: a missing, malformed or differently shaped value gives null or
 * empty lists, never an error.
 */
export function parseOpinions(text: string | null | undefined): {
  participants: number | null;
  groups: { size: number | null; ids: number[] }[];
  consensus: number[];
  divisive: number[];
} | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  const groups = Array.isArray(o.groups)
    ? o.groups.flatMap((g) => {
        if (!g || typeof g !== "object") return [];
        const r = g as Record<string, unknown>;
        return [{ size: typeof r.size === "number" ? r.size : null, ids: asIds(r.representativeIds ?? r.representatives) }];
      })
    : [];
  const consensus = asIds(o.consensusIds ?? o.consensus);
  const divisive = asIds(o.divisiveIds ?? o.divisive);
  if (groups.length === 0 && consensus.length === 0 && divisive.length === 0) return null;
  return { participants: typeof o.participants === "number" ? o.participants : null, groups, consensus, divisive };
}

async function visibleIdeaTitles(conn: Db, ids: number[]): Promise<Map<number, ReportIdea>> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids)];
  const found = new Map<number, ReportIdea>();
  for (let i = 0; i < unique.length; i += 500) {
    for (const r of await conn
      .select({ id: ideas.id, title: ideas.title, votes: sql<number>`${ideas.voteCount} + ${ideas.agreeCount} + ${ideas.dotCount}` })
      .from(ideas)
      .where(and(inArray(ideas.id, unique.slice(i, i + 500)), isNull(ideas.hiddenAt)))
      .all()) {
      found.set(r.id, r);
    }
  }
  return found;
}

/**
 * The report of a jam's synthesis: themes (label, size, keywords,
 * representative ideas, actions), consensus and divisive ideas when the
 * version has them, and every follow-up action with owner and status.
 */
export async function synthesisReport(viewer: SessionUser, slug: string, options: { versionId?: number | null; now?: number } = {}) {
  return await buildSynthesisReport(db(), viewer, slug, options);
}

async function buildSynthesisReport(conn: Db, viewer: SessionUser, slug: string, options: { versionId?: number | null; now?: number }) {
  const jam = await findVisibleJam(conn, viewer, slug);
  const version = await reportVersion(conn, viewer, jam.id, options.versionId);
  if (!version) throw new NotFound(canSeeUnpublished(viewer) ? "This jam has no synthesis yet." : "This jam has no published synthesis yet.");
  const themeRows = await conn.select().from(themes).where(eq(themes.versionId, version.id)).orderBy(asc(themes.position), asc(themes.id)).all();
  const stats = await themeStats(conn, version.id);
  // Representatives as stored (most representative first), else the theme's most supported ideas.
  const stored = new Map(themeRows.map((t) => [t.id, asIds(jsonList(t.representatives)).slice(0, 10)]));
  const parentOf = new Map(themeRows.map((t) => [t.id, t.parentId]));
  const members = new Map<number, Set<number>>();
  for (const r of await conn
    .select({ themeId: themeIdeas.themeId, ideaId: themeIdeas.ideaId })
    .from(themeIdeas)
    .where(and(eq(themeIdeas.versionId, version.id), eq(themeIdeas.excluded, false)))
    .all()) {
    // An idea stands for its sub-theme and for the top-level theme above it.
    for (const id of [r.themeId, parentOf.get(r.themeId)]) if (id) members.set(id, (members.get(id) ?? new Set()).add(r.ideaId));
  }
  const titles = await visibleIdeaTitles(conn, [...stored.values()].flat());
  const actions = await reportActions(conn, viewer, jam);
  const themeViews: ReportTheme[] = await mapInOrder(themeRows, async (t) => {
    let representatives = (stored.get(t.id) ?? []).filter((id) => members.get(t.id)?.has(id)).flatMap((id) => (titles.has(id) ? [titles.get(id)!] : []));
    if (representatives.length === 0) representatives = await topIdeasOfTheme(conn, version.id, t.id);
    return {
      id: t.id,
      label: t.label,
      keywords: jsonList(t.keywords).filter((k): k is string => typeof k === "string"),
      isOther: t.isOther,
      size: stats.get(t.id)?.size ?? 0,
      support: stats.get(t.id)?.support ?? 0,
      representatives: representatives.slice(0, 5),
      actions: actions.filter((a) => a.themeId === t.id),
      parentId: t.parentId,
      subThemes: [],
    };
  });
  const topLevel = nestThemes(themeViews, (t) => t.size);

  const opinions = parseOpinions(version.opinions);
  let opinionView: ReportOpinions | null = null;
  if (opinions) {
    const named = await visibleIdeaTitles(conn, [...opinions.consensus, ...opinions.divisive, ...opinions.groups.flatMap((g) => g.ids)]);
    const pick = (ids: number[]) => ids.flatMap((id) => (named.has(id) ? [named.get(id)!] : []));
    opinionView = {
      participants: opinions.participants,
      groups: opinions.groups.map((g, i) => ({ name: `Group ${String.fromCharCode(65 + (i % 26))}`, size: g.size, representatives: pick(g.ids) })),
      consensus: pick(opinions.consensus),
      divisive: pick(opinions.divisive),
    };
  }
  const challenge = version.challengeId
    ? await conn.select({ title: challenges.title }).from(challenges).where(eq(challenges.id, version.challengeId)).get()
    : undefined;
  return {
    jam: { slug: jam.slug, title: jam.title, startsAt: jam.startsAt, endsAt: jam.endsAt },
    version: {
      id: version.id,
      number: version.number,
      kind: version.kind,
      createdAt: version.createdAt,
      publishedAt: version.publishedAt,
      challengeTitle: challenge?.title ?? null,
    },
    themes: topLevel,
    ideaCount: topLevel.reduce((n, t) => n + t.size, 0),
    opinions: opinionView,
    actions,
    isStaff: canSeeUnpublished(viewer),
    generatedAt: options.now ?? Date.now(),
  };
}

export type SynthesisReport = Awaited<ReturnType<typeof buildSynthesisReport>>;

async function topIdeasOfTheme(conn: Db, versionId: number, themeId: number): Promise<ReportIdea[]> {
  const votes = sql<number>`${ideas.voteCount} + ${ideas.agreeCount} + ${ideas.dotCount}`;
  return await conn
    .select({ id: ideas.id, title: ideas.title, votes })
    .from(themeIdeas)
    .innerJoin(ideas, eq(ideas.id, themeIdeas.ideaId))
    .where(and(eq(themeIdeas.versionId, versionId), ideasUnder(themeId), eq(themeIdeas.excluded, false), isNull(ideas.hiddenAt)))
    .orderBy(desc(votes), asc(ideas.id))
    .limit(5)
    .all();
}

async function reportActions(conn: Db, viewer: SessionUser, jam: Jam): Promise<ReportAction[]> {
  return (await jamActions(conn, viewer, jam.id)).map((a) => ({ ...a, statusLabel: ACTION_STATUS_LABELS[a.status] }));
}

const iso = (at: number) => new Date(at).toISOString();

const day = (at: number) => iso(at).slice(0, 10);

/** The report as Markdown: people's text is escaped, so it cannot turn into links or markup. */
export function synthesisMarkdown(report: SynthesisReport): string {
  const lines: string[] = [];
  const v = report.version;
  lines.push(`# Synthesis: ${mdText(report.jam.title)}`, "");
  lines.push(
    `Version ${v.number} (${v.kind}), ${v.publishedAt ? `published ${day(v.publishedAt)}` : "not published"}` +
      `${v.challengeTitle ? `, challenge: ${mdText(v.challengeTitle)}` : ""}. ` +
      `Jam ran ${day(report.jam.startsAt)} to ${day(report.jam.endsAt)}. Report generated ${iso(report.generatedAt)}.`,
    "",
  );
  lines.push(`${report.ideaCount} ${report.ideaCount === 1 ? "idea" : "ideas"} in ${report.themes.length} ${report.themes.length === 1 ? "theme" : "themes"}.`, "");
  lines.push("## Themes", "");
  report.themes.forEach((t, i) => {
    lines.push(`### ${i + 1}\\. ${mdText(t.label)}`, "");
    lines.push(`- Size: ${t.size} ${t.size === 1 ? "idea" : "ideas"}, support: ${t.support}`);
    if (t.keywords.length > 0) lines.push(`- Keywords: ${t.keywords.map(mdText).join(", ")}`);
    lines.push("");
    if (t.representatives.length > 0) {
      lines.push("Representative ideas:", "");
      for (const idea of t.representatives) lines.push(`- ${mdText(idea.title)} (${idea.votes} ${idea.votes === 1 ? "vote" : "votes"})`);
      lines.push("");
    }
    if (t.actions.length > 0) {
      lines.push("Actions:", "");
      for (const a of t.actions) lines.push(`- ${actionLine(a)}`);
      lines.push("");
    }
    if (t.subThemes.length > 0) {
      lines.push("Sub-themes:", "");
      for (const sub of t.subThemes) {
        lines.push(`- **${mdText(sub.label)}**: ${sub.size} ${sub.size === 1 ? "idea" : "ideas"}, support ${sub.support}`);
        for (const idea of sub.representatives.slice(0, 3)) lines.push(`  - ${mdText(idea.title)} (${idea.votes} ${idea.votes === 1 ? "vote" : "votes"})`);
        for (const a of sub.actions) lines.push(`  - Action: ${actionLine(a)}`);
      }
      lines.push("");
    }
  });
  if (report.opinions) {
    const o = report.opinions;
    if (o.consensus.length > 0) {
      lines.push("## Where people agree", "");
      for (const idea of o.consensus) lines.push(`- ${mdText(idea.title)}`);
      lines.push("");
    }
    if (o.divisive.length > 0) {
      lines.push("## Where opinions divide", "");
      for (const idea of o.divisive) lines.push(`- ${mdText(idea.title)}`);
      lines.push("");
    }
    if (o.groups.length > 0) {
      lines.push("## Opinion groups", "");
      for (const g of o.groups) {
        lines.push(`- ${g.name}${g.size !== null ? ` (${g.size} ${g.size === 1 ? "person" : "people"})` : ""}: ${g.representatives.map((r) => mdText(r.title)).join("; ") || "no representative ideas"}`);
      }
      lines.push("");
    }
  }
  lines.push("## Follow-up actions", "");
  if (report.actions.length === 0) {
    lines.push("No actions yet.", "");
  } else {
    lines.push("| Action | Theme | Owner | Status | Due |", "| --- | --- | --- | --- | --- |");
    for (const a of report.actions) {
      lines.push(
        `| ${mdText(a.title)} | ${a.themeLabel ? mdText(a.themeLabel) : ""} | ${mdText(a.ownerName)} | ${a.statusLabel}${
          a.status === "declined" && a.declineReason ? `: ${mdText(a.declineReason)}` : ""
        } | ${a.dueDate !== null ? day(a.dueDate) : ""} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

function actionLine(a: ReportAction) {
  return `${mdText(a.title)}: ${a.statusLabel}, owner ${mdText(a.ownerName)}${a.dueDate !== null ? `, due ${formatDueDate(a.dueDate)}` : ""}`;
}

/** The Markdown report as a download. */
export async function synthesisMarkdownExport(viewer: SessionUser, slug: string, options: { versionId?: number | null } = {}) {
  const report = await buildSynthesisReport(db(), viewer, slug, options);
  return { filename: `${report.jam.slug}-synthesis-v${report.version.number}.md`, body: synthesisMarkdown(report) };
}

export const IDEAS_CSV_HEADER = [
  "id",
  "challenge",
  "title",
  "body",
  "created_at",
  "support_votes",
  "agree",
  "disagree",
  "pass",
  "dots",
  "comments",
  "attachments",
  "theme",
  "sub_theme",
  "author",
];

/**
 * Every visible idea of the jam as CSV, with its theme in the chosen version.
 * Staff may export before a version is published (theme empty without one);
 * others only once one is. Anonymous ideas have an empty author.
 */
export async function ideasCsv(viewer: SessionUser, slug: string, options: { versionId?: number | null } = {}) {
  const conn = db();
  const jam = await findVisibleJam(conn, viewer, slug);
  const version = await reportVersion(conn, viewer, jam.id, options.versionId);
  if (!version && !canSeeUnpublished(viewer)) throw new NotFound("This jam has no published synthesis yet.");
  // Each idea's top-level theme and, when that has sub-themes, its sub-theme.
  const themeOf = new Map<number, { theme: string; subTheme: string }>();
  if (version) {
    const labels = new Map(
      (await conn.select({ id: themes.id, label: themes.label }).from(themes).where(eq(themes.versionId, version.id)).all()).map((t) => [t.id, t.label]),
    );
    for (const r of await conn
      .select({ ideaId: themeIdeas.ideaId, label: themes.label, parentId: themes.parentId })
      .from(themeIdeas)
      .innerJoin(themes, eq(themes.id, themeIdeas.themeId))
      .where(and(eq(themeIdeas.versionId, version.id), eq(themeIdeas.excluded, false)))
      .all()) {
      themeOf.set(r.ideaId, r.parentId === null ? { theme: r.label, subTheme: "" } : { theme: labels.get(r.parentId) ?? "", subTheme: r.label });
    }
  }
  // One column per idea template field of the jam's challenges (removed ones too, labelled).
  const fieldColumns = await csvFieldColumns(conn, jam.id);
  // Read in keyset pages, so a jam of many thousands of ideas never sits in memory as rows twice.
  async function* rows() {
    let after = 0;
    for (;;) {
      const page = await conn
        .select({
          id: ideas.id,
          challenge: challenges.title,
          title: ideas.title,
          body: ideas.body,
          createdAt: ideas.createdAt,
          votes: ideas.voteCount,
          agree: ideas.agreeCount,
          disagree: ideas.disagreeCount,
          pass: ideas.passCount,
          dots: ideas.dotCount,
          comments: ideas.commentCount,
          isAnonymous: ideas.isAnonymous,
          authorName: users.name,
        })
        .from(ideas)
        .innerJoin(challenges, eq(challenges.id, ideas.challengeId))
        .innerJoin(users, eq(users.id, ideas.authorId))
        .where(and(eq(ideas.jamId, jam.id), isNull(ideas.hiddenAt), gt(ideas.id, after)))
        .orderBy(asc(ideas.id))
        .limit(2000)
        .all();
      const files = await attachmentCounts(conn, page.map((r) => r.id));
      const answersOf = await fieldColumns.cells(page.map((r) => r.id));
      yield* page.map((r) => ({ ...r, attachments: files.get(r.id) ?? 0, answers: answersOf(r.id) }));
      if (page.length < 2000) return;
      after = page.at(-1)!.id;
    }
  }
  async function* cells() {
    for await (const r of rows()) {
      yield [
        r.id,
        r.challenge,
        r.title,
        r.body,
        iso(r.createdAt),
        r.votes,
        r.agree,
        r.disagree,
        r.pass,
        r.dots,
        r.comments,
        r.attachments,
        themeOf.get(r.id)?.theme ?? "",
        themeOf.get(r.id)?.subTheme ?? "",
        r.isAnonymous ? "" : r.authorName,
        ...r.answers,
      ];
    }
  }
  return { filename: `${jam.slug}-ideas${version ? `-v${version.number}` : ""}.csv`, body: await csvDocumentOf([...IDEAS_CSV_HEADER, ...fieldColumns.header], cells()) };
}
