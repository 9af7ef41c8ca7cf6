import { Link, useFetcher, useFetchers, useLocation } from "@remix-run/react";
import { useReducedMotion } from "framer-motion";
import { useEffect, useMemo, useState } from "react";
import {
  addDotRefusal,
  STANCE_DONE,
  STANCE_LABELS,
  stanceShares,
  STANCES,
  type Stance,
  type StanceCounts,
} from "~/domain/vote-modes";
import type { IdeaCard } from "~/domain/views";
import { useLiveTally } from "~/components/live";
import { Swap, useTapScale } from "~/components/motion";
import { plural } from "~/components/ui";
import { formatNumber } from "~/domain/numbers";

/** The URL stance and dot votes post to. */
export function voteUrl(slug: string, challengeId: number) {
  return `/jams/${slug}/challenges/${challengeId}/vote`;
}

/** Hidden fields every vote form carries: where to go back to without JavaScript, and whether it has JavaScript. */
function ReturnFields() {
  const location = useLocation();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {hydrated ? <input type="hidden" name="js" value="1" /> : null}
    </>
  );
}

/** The stance counts to show: the live stream's if it has spoken, else the page's. */
function useStanceCounts(idea: Pick<IdeaCard, "id" | "agreeCount" | "disagreeCount" | "passCount">): StanceCounts {
  const live = useLiveTally(idea.id);
  return {
    agreeCount: live?.agreeCount ?? idea.agreeCount,
    disagreeCount: live?.disagreeCount ?? idea.disagreeCount,
    passCount: live?.passCount ?? idea.passCount,
  };
}

/**
 * Agree / disagree / pass counts as a small stacked bar (decoration: three
 * textures, not colour alone) with the numbers and labels written out.
 */
export function StanceTally({ counts, myStance, compact = false }: { counts: StanceCounts; myStance: Stance | null; compact?: boolean }) {
  const shares = stanceShares(counts);
  const n = { agree: counts.agreeCount, disagree: counts.disagreeCount, pass: counts.passCount };
  return (
    <div className={`stance-tally${compact ? " stance-tally--compact" : ""}`}>
      <div className="stance-bar" aria-hidden="true">
        {STANCES.map((s) => (
          <span key={s} className={`stance-bar__${s}`} style={{ width: `${shares[s]}%` }} />
        ))}
      </div>
      <ul className="stance-counts" aria-label="Votes so far">
        {STANCES.map((s) => (
          <li key={s}>
            <span className={`stance-key stance-key--${s}`} aria-hidden="true" />
            <strong>{formatNumber(n[s])}</strong> {STANCE_LABELS[s].toLowerCase()}
          </li>
        ))}
      </ul>
      {myStance ? <p className="stance-mine">You {STANCE_DONE[myStance]}</p> : null}
    </div>
  );
}

/** An idea card's tally in a stance challenge (voting happens one idea at a time, or on the idea's page). */
export function CardStanceTally({ idea }: { idea: IdeaCard }) {
  const counts = useStanceCounts(idea);
  return <StanceTally counts={counts} myStance={idea.myStance} compact />;
}

/**
 * The viewer's stance on one idea, changeable: three real buttons, the chosen
 * one pressed. Through a fetcher with JavaScript (the choice shows at once),
 * a plain form post without.
 */
export function StanceChoice({
  slug,
  idea,
  disabledReason,
}: {
  slug: string;
  idea: Pick<IdeaCard, "id" | "challengeId" | "myStance">;
  disabledReason: string | null;
}) {
  const fetcher = useFetcher<{ stance?: Stance; formError?: string | null }>();
  const pending = fetcher.formData?.get("stance") as Stance | undefined;
  // The pending choice shows at once; then the page's data (revalidated after the post) settles it.
  const chosen = pending ?? (fetcher.state === "idle" && fetcher.data?.stance ? fetcher.data.stance : idea.myStance);
  return (
    <section className="stack stance-choice" aria-labelledby={`stance-${idea.id}`}>
      <h2 id={`stance-${idea.id}`} className="stance-choice__title">
        {chosen ? `Your vote: ${STANCE_LABELS[chosen]}` : "Do you agree?"}
      </h2>
      <fetcher.Form method="post" action={voteUrl(slug, idea.challengeId)} className="stance-buttons">
        <input type="hidden" name="intent" value="stance" />
        <input type="hidden" name="ideaId" value={idea.id} />
        <ReturnFields />
        {STANCES.map((s) => (
          <StanceButton key={s} stance={s} pressed={chosen === s} disabled={Boolean(disabledReason)} />
        ))}
      </fetcher.Form>
      {disabledReason ? <p className="small muted">{disabledReason}</p> : null}
      {fetcher.data?.formError && fetcher.state === "idle" ? (
        <p className="field__error" role="alert">
          {fetcher.data.formError}
        </p>
      ) : null}
    </section>
  );
}

/** One of agree / disagree / pass: a submit button of the stance form that gives a little under a press. */
function StanceButton({ stance, pressed, disabled }: { stance: Stance; pressed: boolean; disabled: boolean }) {
  const tapRef = useTapScale<HTMLButtonElement>(0.94);
  return (
    <button
      ref={tapRef}
      type="submit"
      name="stance"
      value={stance}
      className={`btn btn--secondary stance-button stance-button--${stance}`}
      aria-pressed={pressed}
      disabled={disabled}
    >
      {STANCE_LABELS[stance]}
    </button>
  );
}

export interface DotBudgetData {
  budget: number;
  maxPerIdea: number;
  spent: number;
  remaining: number;
  allocations: { ideaId: number; dots: number }[];
}

interface PendingDots {
  budget: number;
  maxPerIdea: number;
  spent: number;
  remaining: number;
  dotsOn: (ideaId: number) => number;
  /** The change in flight on this idea (new dots minus stored), 0 when none. */
  pendingChange: (ideaId: number) => number;
}

/**
 * The viewer's dot budget with every dot change still in flight applied, so
 * all cards and the summary agree at once; the server's answer settles it.
 */
export function useDotBudget(summary: DotBudgetData): PendingDots {
  const fetchers = useFetchers();
  return useMemo(() => {
    const stored = new Map(summary.allocations.map((a) => [a.ideaId, a.dots]));
    const pending = new Map<number, number>();
    for (const f of fetchers) {
      if (f.formData?.get("intent") !== "dots") continue;
      const ideaId = Number(f.formData.get("ideaId"));
      const dots = Number(f.formData.get("dots"));
      if (Number.isInteger(ideaId) && Number.isInteger(dots) && dots >= 0) pending.set(ideaId, dots);
    }
    let spent = summary.spent;
    for (const [ideaId, dots] of pending) spent += dots - (stored.get(ideaId) ?? 0);
    return {
      budget: summary.budget,
      maxPerIdea: summary.maxPerIdea,
      spent,
      remaining: Math.max(0, summary.budget - spent),
      dotsOn: (ideaId) => pending.get(ideaId) ?? stored.get(ideaId) ?? 0,
      pendingChange: (ideaId) => (pending.has(ideaId) ? pending.get(ideaId)! - (stored.get(ideaId) ?? 0) : 0),
    };
  }, [fetchers, summary]);
}

/** "4 of 10 dots left", kept in view while the list scrolls. */
export function DotBudgetBar({ summary }: { summary: DotBudgetData }) {
  const budget = useDotBudget(summary);
  const reduceMotion = useReducedMotion();
  return (
    <div className="dot-budget" data-testid="dot-budget">
      <p role="status" className="dot-budget__left">
        <Swap
          as="strong"
          swapKey={budget.remaining}
          initial={reduceMotion ? false : { scale: 1.4, opacity: 0 }}
          animate={{ scale: 1, opacity: 1 }}
          exit={reduceMotion ? undefined : { opacity: 0 }}
          transition={{ duration: 0.18 }}
        >
          {budget.remaining}
        </Swap>{" "}
        of {plural(budget.budget, "dot")} left
      </p>
      <div className="dot-budget__pips" aria-hidden="true">
        {Array.from({ length: budget.budget }, (_, i) => (
          <span key={i} className={i < budget.spent ? "dot-pip dot-pip--spent" : "dot-pip"} />
        ))}
      </div>
      <p className="small muted dot-budget__hint">
        {budget.remaining === 0
          ? "All your dots are spent: take one off an idea to move it to another."
          : `At most ${plural(budget.maxPerIdea, "dot")} on one idea.`}
      </p>
    </div>
  );
}

/**
 * An idea's dots: everyone's total, and the viewer's own with − and +. With no
 * budget (a page that does not show the challenge's dots) it shows the total only.
 */
export function DotControls({
  slug,
  idea,
  summary,
  disabledReason,
}: {
  slug: string;
  idea: Pick<IdeaCard, "id" | "challengeId" | "title" | "dotCount" | "myDots">;
  summary: DotBudgetData | null;
  disabledReason: string | null;
}) {
  const live = useLiveTally(idea.id);
  const total = live?.dotCount ?? idea.dotCount;
  if (!summary) {
    return (
      <div className="tally tally--dots">
        <strong className="tally__number">{formatNumber(total)}</strong>
        <span className="small">{total === 1 ? "dot" : "dots"}</span>
      </div>
    );
  }
  return <DotButtons slug={slug} idea={idea} summary={summary} total={total} disabledReason={disabledReason} />;
}

function DotButtons({
  slug,
  idea,
  summary,
  total,
  disabledReason,
}: {
  slug: string;
  idea: Pick<IdeaCard, "id" | "challengeId" | "title" | "myDots">;
  summary: DotBudgetData;
  total: number;
  disabledReason: string | null;
}) {
  const fetcher = useFetcher<{ formError?: string | null }>();
  const budget = useDotBudget(summary);
  const reduceMotion = useReducedMotion();
  const mine = budget.dotsOn(idea.id);
  const shown = total + budget.pendingChange(idea.id);
  const addRefusal = disabledReason ?? addDotRefusal(budget.spent, mine, budget.budget, budget.maxPerIdea);
  const removeRefusal = disabledReason ?? (mine === 0 ? "You have no dots on this idea." : null);
  const reasonId = `dots-${idea.id}-reason`;
  return (
    <fetcher.Form method="post" action={voteUrl(slug, idea.challengeId)} className="tally tally--dots">
      <input type="hidden" name="intent" value="dots" />
      <input type="hidden" name="ideaId" value={idea.id} />
      <ReturnFields />
      <Swap
        as="strong"
        swapKey={shown}
        className="tally__number"
        initial={reduceMotion ? false : { y: -8, opacity: 0 }}
        animate={{ y: 0, opacity: 1 }}
        exit={reduceMotion ? undefined : { y: 8, opacity: 0 }}
        transition={{ duration: 0.18 }}
      >
        {formatNumber(shown)}
      </Swap>
      <span className="small">{shown === 1 ? "dot" : "dots"} in all</span>
      <div className="dot-stepper">
        <button
          type="submit"
          name="dots"
          value={Math.max(0, mine - 1)}
          className="dot-stepper__button"
          disabled={Boolean(removeRefusal)}
          aria-label={`Take a dot off “${idea.title}”`}
        >
          −
        </button>
        <span className="dot-stepper__mine" data-testid="my-dots">
          <span className="visually-hidden">Your dots on this idea: </span>
          {mine}
        </span>
        <button
          type="submit"
          name="dots"
          value={mine + 1}
          className="dot-stepper__button"
          disabled={Boolean(addRefusal)}
          title={addRefusal ?? undefined}
          aria-label={`Add a dot to “${idea.title}”`}
          aria-describedby={addRefusal ? reasonId : undefined}
        >
          +
        </button>
      </div>
      <span className="small muted">yours</span>
      {addRefusal ? (
        <span id={reasonId} className="visually-hidden">
          {addRefusal}
        </span>
      ) : null}
      {fetcher.data?.formError && fetcher.state === "idle" ? (
        <span className="field__error small" role="alert">
          {fetcher.data.formError}
        </span>
      ) : null}
    </fetcher.Form>
  );
}

/** The link into the one-idea-at-a-time flow. */
export function VoteOnIdeasLink({ slug, challengeId, className = "btn" }: { slug: string; challengeId: number; className?: string }) {
  return (
    <Link className={className} to={voteUrl(slug, challengeId)}>
      Vote on ideas
    </Link>
  );
}
