import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { LIMITS } from "~/domain/limits";
import type { PointRules } from "~/domain/points";
import { DEFAULT_DOTS, VOTE_MODE_LABELS, VOTE_MODES, type VoteMode } from "~/domain/vote-modes";
import { FormError, SelectField, TextArea, TextField, type FormFailure } from "~/components/form";
import { PointsFields } from "~/components/gamification-form";

export interface JamFormValues {
  title: string;
  slug: string;
  description: string;
  startsAt: number | null;
  endsAt: number | null;
  /** A draft may be saved unfinished (a question can wait); a published jam needs everything. */
  isDraft: boolean;
  challenges: {
    id?: number;
    title: string;
    question: string;
    voteMode?: VoteMode;
    dotBudget?: number;
    dotMaxPerIdea?: number;
    /** Why the voting mode is fixed (people voted), shown instead of a choice; null or absent while it may change. */
    voteModeLock?: string | null;
    /** Dots placed so far in a dots challenge: its settings may then only grow. */
    dotsPlaced?: number;
  }[];
  points: { rules: PointRules; leaderboardsHidden: boolean };
}

/** epoch ms -> `datetime-local` value in a zone `offset` minutes behind UTC. */
function toLocalInput(at: number | null, offsetMinutes: number): string {
  if (at === null) return "";
  return new Date(at - offsetMinutes * 60_000).toISOString().slice(0, 16);
}

interface Row {
  key: number;
  id?: number;
  title: string;
  question: string;
  voteMode?: string;
  dotBudget?: string | number;
  dotMaxPerIdea?: string | number;
  voteModeLock?: string | null;
  dotsPlaced?: number;
}

const VOTE_MODE_OPTIONS = VOTE_MODES.map((m) => ({ value: m, label: VOTE_MODE_LABELS[m] }));

export function JamForm({ initial, failure, submitLabel }: { initial: JamFormValues; failure?: FormFailure; submitLabel: string }) {
  const busy = useNavigation().state === "submitting";
  // The server renders times in UTC; the browser switches to its own zone.
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(new Date().getTimezoneOffset()), []);

  const v = failure?.values;
  const e = failure?.fieldErrors ?? {};
  // A refused form rebuilds its rows from what was typed; what is fixed about a saved challenge comes from the jam.
  const saved = (id: number | undefined) => initial.challenges.find((c) => id !== undefined && c.id === id);
  const initialRows: Row[] = v
    ? Object.keys(v)
        .flatMap((k) => (k.match(/^challenges\.(\d+)\.title$/) ? [Number(k.split(".")[1])] : []))
        .sort((a, b) => a - b)
        .map((i) => ({
          key: i,
          id: v[`challenges.${i}.id`] ? Number(v[`challenges.${i}.id`]) : undefined,
          title: v[`challenges.${i}.title`] ?? "",
          question: v[`challenges.${i}.question`] ?? "",
          voteMode: v[`challenges.${i}.voteMode`],
          dotBudget: v[`challenges.${i}.dotBudget`],
          dotMaxPerIdea: v[`challenges.${i}.dotMaxPerIdea`],
        }))
        .map((row) => ({ ...row, voteModeLock: saved(row.id)?.voteModeLock, dotsPlaced: saved(row.id)?.dotsPlaced }))
    : initial.challenges.map((c, i) => ({ key: i, ...c }));
  while (initialRows.length < 2) initialRows.push({ key: initialRows.length, title: "", question: "" });
  const [rows, setRows] = useState<Row[]>(initialRows);
  const nextKey = Math.max(...rows.map((r) => r.key)) + 1;

  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="tzOffset" value={offset} />
      <FormError message={failure?.formError} />
      <TextField label="Title" name="title" defaultValue={v?.title ?? initial.title} errors={e.title} maxLength={LIMITS.jamTitle} />
      <TextField
        label="Web address"
        name="slug"
        defaultValue={v?.slug ?? initial.slug}
        errors={e.slug}
        hint="The jam’s address: /jams/your-slug. Leave empty to make one from the title."
        placeholder="working-smarter"
      />
      <TextArea
        label="Description"
        name="description"
        rows={3}
        defaultValue={v?.description ?? initial.description}
        errors={e.description}
        maxLength={LIMITS.jamDescription}
      />
      <div className="grid grid--2" id="schedule">
        <TextField
          key={`starts-${offset}`}
          label="Starts"
          name="startsAt"
          type="datetime-local"
          defaultValue={v?.startsAt ?? toLocalInput(initial.startsAt, offset)}
          errors={e.startsAt}
          hint="In your local time."
        />
        <TextField
          key={`ends-${offset}`}
          label="Ends"
          name="endsAt"
          type="datetime-local"
          defaultValue={v?.endsAt ?? toLocalInput(initial.endsAt, offset)}
          errors={e.endsAt}
          hint="In your local time."
        />
      </div>
      <fieldset className="stack" id="challenges">
        <legend>Challenges</legend>
        <p className="field__hint">
          Each challenge asks the crowd one question. A row left blank is ignored.
          {initial.isDraft ? " While the jam is a draft, a question can wait: the launch checklist reminds you." : ""}
        </p>
        {e.challenges ? (
          <div className="field__error" role="alert">
            {e.challenges.join(" ")}
          </div>
        ) : null}
        {rows.map((row, index) => (
          <div key={row.key} className="card stack" data-testid="challenge-row" id={`challenge-${index + 1}`}>
            {row.id ? <input type="hidden" name={`challenges.${index}.id`} value={row.id} /> : null}
            <TextField
              label={`Challenge ${index + 1} title`}
              name={`challenges.${index}.title`}
              defaultValue={row.title}
              errors={e[`challenges.${row.key}.title`]}
            />
            <TextArea
              label={`Challenge ${index + 1} question`}
              name={`challenges.${index}.question`}
              rows={2}
              defaultValue={row.question}
              errors={e[`challenges.${row.key}.question`]}
              maxLength={LIMITS.challengeQuestion}
            />
            {row.voteModeLock ? (
              <LockedVoteMode index={index} mode={(row.voteMode ?? "support") as VoteMode} reason={row.voteModeLock} errors={e[`challenges.${row.key}.voteMode`]} />
            ) : (
              <SelectField
                label={`How people vote on challenge ${index + 1}`}
                name={`challenges.${index}.voteMode`}
                defaultValue={row.voteMode ?? "support"}
                options={VOTE_MODE_OPTIONS}
                errors={e[`challenges.${row.key}.voteMode`]}
                hint="Support: up-votes. Agree / disagree / pass: one idea at a time, as Polis does. Dots: everyone spends a budget."
              />
            )}
            {/* Shown only while "Dots" is chosen (CSS :has, so it works before JavaScript too), or fixed as dots. */}
            <div className={`grid grid--2 dot-settings${row.voteModeLock && row.voteMode === "dots" ? " dot-settings--fixed" : ""}`}>
              <TextField
                label={`Challenge ${index + 1} dots per person`}
                name={`challenges.${index}.dotBudget`}
                type="number"
                defaultValue={String(row.dotBudget ?? DEFAULT_DOTS.budget)}
                errors={e[`challenges.${row.key}.dotBudget`]}
                hint={row.dotsPlaced ? "Dots have been placed: the budget can grow, not shrink." : undefined}
              />
              <TextField
                label={`Challenge ${index + 1} most dots on one idea`}
                name={`challenges.${index}.dotMaxPerIdea`}
                type="number"
                defaultValue={String(row.dotMaxPerIdea ?? DEFAULT_DOTS.maxPerIdea)}
                errors={e[`challenges.${row.key}.dotMaxPerIdea`]}
                hint={row.dotsPlaced ? "Dots have been placed: the limit can grow, not shrink." : undefined}
              />
            </div>
            {!row.id && rows.length > 1 ? (
              <div>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  onClick={() => setRows(rows.filter((r) => r.key !== row.key))}
                >
                  Remove challenge {index + 1}
                </button>
              </div>
            ) : null}
          </div>
        ))}
        {rows.length < LIMITS.maxChallenges ? (
          <div>
            <button
              type="button"
              className="btn btn--secondary"
              onClick={() => setRows([...rows, { key: nextKey, title: "", question: "" }])}
            >
              Add another challenge
            </button>
          </div>
        ) : null}
      </fieldset>
      <PointsFields rules={initial.points.rules} leaderboardsHidden={initial.points.leaderboardsHidden} values={v} errors={e} />
      <div className="row">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
      </div>
    </Form>
  );
}

/** A voting mode that can no longer change: shown as text with the reason, and sent back unchanged. */
function LockedVoteMode({ index, mode, reason, errors }: { index: number; mode: VoteMode; reason: string; errors?: string[] }) {
  const id = `challenge-${index + 1}-vote-mode`;
  return (
    <div className="field" role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-reason`}>
      <span className="field__label" id={`${id}-label`}>
        How people vote on challenge {index + 1}
      </span>
      <input type="hidden" name={`challenges.${index}.voteMode`} value={mode} />
      <p className="locked-value">
        <strong>{VOTE_MODE_LABELS[mode]}</strong> <span className="badge">Fixed</span>
      </p>
      <p className="field__hint" id={`${id}-reason`}>
        {reason}
      </p>
      {errors?.length ? (
        <div className="field__error" role="alert">
          {errors.join(" ")}
        </div>
      ) : null}
    </div>
  );
}
