import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AnimatePresence, motion, useReducedMotion, type Variants } from "framer-motion";
import { useEffect, useRef, useState } from "react";
import { requireUser, safeRedirect } from "~/auth/guard.server";
import { JamClock, JamCrumbs } from "~/components/jam-header";
import { useThrottledRevalidate } from "~/components/live";
import { LiveJam } from "~/components/live-jam";
import { Alert, EmptyState, plural } from "~/components/ui";
import { UserText } from "~/components/user-text";
import { phaseRefusal } from "~/domain/phase";
import { isStance, modeRefusal, STANCE_DONE, STANCE_KEYS, STANCE_LABELS, STANCES, type Stance } from "~/domain/vote-modes";
import { formValues, orFormFailure, orRespond, unknownIntent } from "~/http/respond.server";
import { setDots } from "~/services/commands/dots.server";
import { NotFound } from "~/services/errors";

import { castStance } from "~/services/commands/stances.server";
import { nextIdeaToVote } from "~/services/pages/vote.server";
import { challengeForRoute } from "~/services/lookups/ideas.server";
import { livePosition } from "~/live/bus";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Vote on ideas · ${data?.challenge.title ?? "Challenge"} · Jamboree` },
];

/**
 * The one-idea-at-a-time flow of a stance challenge (GET), and where stance
 * and dot votes are posted from any page (POST, intent "stance" or "dots").
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // First, before the page's data: the live stream replays what changes after this.
  const liveFrom = await livePosition();
  const url = new URL(request.url);
  const flow = await orRespond(
    async () => {
      const result = await nextIdeaToVote(user, { challengeId: params.id });
      if (result.jam.slug !== params.slug) throw new NotFound("No such challenge.");
      return result;
    },
    { request, user, ip: context.ip },
  );
  const last = url.searchParams.get("last");
  const lastIdea = Number(url.searchParams.get("idea"));
  return {
    ...flow,
    liveFrom,
    last: isStance(last) && Number.isInteger(lastIdea) && lastIdea > 0 ? { stance: last, ideaId: lastIdea } : null,
    gone: url.searchParams.has("gone"),
    now: Date.now(),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData());
  const ctx = { request, user, ip: context.ip };
  const { jam, challenge } = await orRespond(async () => await challengeForRoute(user, Number(params.id), params.slug ?? ""), ctx);
  const flowUrl = `/jams/${jam.slug}/challenges/${challenge.id}/vote`;

  if (values.intent === "stance") {
    const outcome = await orFormFailure(
      async () => {
        try {
          return await castStance(user, { ideaId: values.ideaId, stance: values.stance });
        } catch (error) {
          // In the flow, an idea hidden a moment ago is simply skipped.
          if (error instanceof NotFound && values.flow === "1") return null;
          throw error;
        }
      },
      { ...ctx, values },
    );
    if (!outcome.ok) return outcome.response;
    if (!outcome.result) return redirect(`${flowUrl}?gone=1`);
    if (values.js === "1") return outcome.result;
    if (values.redirectTo) return redirect(safeRedirect(values.redirectTo));
    return redirect(`${flowUrl}?last=${outcome.result.stance}&idea=${outcome.result.ideaId}`);
  }
  if (values.intent === "dots") {
    const outcome = await orFormFailure(async () => await setDots(user, { ideaId: values.ideaId, dots: values.dots }), { ...ctx, values });
    if (!outcome.ok) return outcome.response;
    if (values.js === "1") return outcome.result;
    return redirect(safeRedirect(values.redirectTo, `/jams/${jam.slug}/challenges/${challenge.id}`));
  }
  return unknownIntent();
}

const cardMotion: Variants = {
  enter: { opacity: 0, y: 24 },
  center: { opacity: 1, x: 0, y: 0 },
  exit: (stance: Stance | undefined) => ({
    opacity: 0,
    x: stance === "agree" ? 140 : stance === "disagree" ? -140 : 0,
    y: stance === "pass" ? -32 : 0,
    transition: { duration: 0.22 },
  }),
};

export default function VoteOnIdeas() {
  const { jam, challenge, idea, progress, canVote, last, gone, now, liveFrom } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && "formError" in result ? result : undefined;
  const navigation = useNavigation();
  const reduceMotion = useReducedMotion();
  const refresh = useThrottledRevalidate(1000);
  const formRef = useRef<HTMLFormElement>(null);
  // Server-rendered content is never hidden waiting for an animation: motion starts once hydrated.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const animate = hydrated && !reduceMotion;
  const challengeUrl = `/jams/${jam.slug}/challenges/${challenge.id}`;
  const pending = navigation.formData?.get("intent") === "stance" ? (navigation.formData.get("stance") as Stance) : null;
  const disabledReason = canVote ? null : phaseRefusal(jam.phase);
  const done = Math.min(progress.voted, progress.total);
  const percent = progress.total === 0 ? 0 : Math.round((done / progress.total) * 100);

  // After a vote the next idea's buttons take the focus back (the pressed one is gone).
  const ideaId = idea?.id;
  const firstIdea = useRef(ideaId);
  useEffect(() => {
    if (!ideaId || ideaId === firstIdea.current) return;
    const active = document.activeElement;
    if (!active || active === document.body) formRef.current?.querySelector<HTMLButtonElement>("button")?.focus();
  }, [ideaId]);

  // Keyboard: A, D and P press Agree, Disagree and Pass (the buttons are real buttons too).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      const stance = STANCES.find((s) => STANCE_KEYS[s] === event.key.toLowerCase());
      const form = formRef.current;
      const button = stance ? form?.querySelector<HTMLButtonElement>(`button[value="${stance}"]`) : null;
      if (!form || !button || button.disabled) return;
      event.preventDefault();
      form.requestSubmit(button);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <>
      <LiveJam
        slug={jam.slug}
        from={liveFrom}
        challengeId={challenge.id}
        onEvent={(type, data) => {
          if (type === "jam.changed") refresh();
          if (type === "idea.created" && data.challengeId === challenge.id && !idea) refresh();
        }}
      />
      <JamCrumbs slug={jam.slug} title={jam.title}>
        <Link to={challengeUrl}>{challenge.title}</Link> / Vote on ideas
      </JamCrumbs>
      <div className="page-head">
        <div className="stack" style={{ gap: "var(--s-2)" }}>
          <JamClock phase={jam.phase} startsAt={jam.startsAt} endsAt={jam.endsAt} now={now} />
          <h1>Vote on ideas</h1>
          <p className="muted">{challenge.question}</p>
        </div>
      </div>

      {challenge.voteMode !== "stance" ? (
        <EmptyState title="Not voted one idea at a time" action={<Link to={challengeUrl}>Back to the challenge</Link>}>
          {modeRefusal(challenge.voteMode, "stance")}
        </EmptyState>
      ) : (
        <section className="stack vote-flow" aria-labelledby="vote-flow-progress">
          <div className="stack" style={{ gap: "var(--s-1)" }}>
            <p id="vote-flow-progress" className="vote-flow__progress">
              <strong>{done.toLocaleString("en")}</strong> of {plural(progress.total, "idea")} voted on
            </p>
            <div
              className="progress"
              role="progressbar"
              aria-label="Your progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="progress__bar" style={{ width: `${percent}%` }} />
            </div>
          </div>

          <div aria-live="polite">
            {last ? (
              <motion.p
                key={`${last.ideaId}-${last.stance}`}
                className="vote-landed"
                initial={animate ? { scale: 0.8, opacity: 0 } : false}
                animate={{ scale: 1, opacity: 1 }}
                transition={{ type: "spring", stiffness: 500, damping: 28 }}
              >
                <span aria-hidden="true">✓ </span>Recorded: you {STANCE_DONE[last.stance]}.{" "}
                <Link to={`/jams/${jam.slug}/ideas/${last.ideaId}`}>Change it</Link>
              </motion.p>
            ) : gone ? (
              <p className="small muted">That idea was just removed by a facilitator; here is the next one.</p>
            ) : null}
          </div>
          {failure?.formError ? <Alert kind="error">{failure.formError}</Alert> : null}
          {disabledReason ? <Alert kind="warn">{disabledReason} Votes can no longer be cast.</Alert> : null}

          <AnimatePresence mode="wait" initial={false} custom={last?.stance}>
            {idea ? (
              <motion.article
                key={idea.id}
                className="card stack vote-flow__card"
                aria-labelledby="vote-idea-title"
                aria-busy={pending ? true : undefined}
                custom={last?.stance}
                variants={reduceMotion ? undefined : cardMotion}
                initial={animate ? "enter" : false}
                animate="center"
                exit={reduceMotion ? undefined : "exit"}
              >
                <h2 id="vote-idea-title" className="vote-flow__title">
                  <Link to={`/jams/${jam.slug}/ideas/${idea.id}`}>{idea.title}</Link>
                </h2>
                {idea.body ? <UserText text={idea.body} /> : <p className="muted">No description.</p>}
                <Form method="post" ref={formRef} className="stance-buttons stance-buttons--big" preventScrollReset>
                  <input type="hidden" name="intent" value="stance" />
                  <input type="hidden" name="flow" value="1" />
                  <input type="hidden" name="ideaId" value={idea.id} />
                  {STANCES.map((s) => (
                    <motion.button
                      key={s}
                      type="submit"
                      name="stance"
                      value={s}
                      className={`btn btn--secondary stance-button stance-button--${s}`}
                      aria-keyshortcuts={STANCE_KEYS[s].toUpperCase()}
                      data-pending={pending === s ? "" : undefined}
                      disabled={Boolean(disabledReason) || pending !== null}
                      whileTap={reduceMotion ? undefined : { scale: 0.94 }}
                    >
                      {STANCE_LABELS[s]}
                      <kbd className="key-hint" aria-hidden="true">
                        {STANCE_KEYS[s].toUpperCase()}
                      </kbd>
                    </motion.button>
                  ))}
                </Form>
                <p className="small muted">
                  <span className="key-hint">
                    Keys: <kbd>A</kbd> agree, <kbd>D</kbd> disagree, <kbd>P</kbd> pass.{" "}
                  </span>
                  Pass if you have no view; you can change any vote on the idea’s page.
                </p>
              </motion.article>
            ) : (
              <motion.div key="done" initial={animate ? { opacity: 0, y: 12 } : false} animate={{ opacity: 1, y: 0 }}>
                {progress.total === 0 ? (
                  <EmptyState title="No ideas to vote on yet" action={<Link to={challengeUrl}>Back to the challenge</Link>}>
                    Ideas by other people appear here as they are posted.
                  </EmptyState>
                ) : (
                  <EmptyState
                    title="You have voted on every idea"
                    action={
                      <Link className="btn" to={`${challengeUrl}?sort=top`}>
                        See the most agreed ideas
                      </Link>
                    }
                  >
                    Thank you. New ideas will appear here as people post them.
                  </EmptyState>
                )}
              </motion.div>
            )}
          </AnimatePresence>
        </section>
      )}
    </>
  );
}
