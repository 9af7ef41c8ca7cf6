import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { LIMITS } from "~/domain/limits";
import { DEFAULT_DOTS, VOTE_MODE_LABELS, VOTE_MODES, type VoteMode } from "~/domain/vote-modes";
import { CheckboxField, FormError, SelectField, TextArea, TextField, type FormFailure } from "./form";

export interface JamFormValues {
  title: string;
  slug: string;
  description: string;
  startsAt: number | null;
  endsAt: number | null;
  isDraft: boolean;
  challenges: { id?: number; title: string; question: string; voteMode?: VoteMode; dotBudget?: number; dotMaxPerIdea?: number }[];
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
}

const VOTE_MODE_OPTIONS = VOTE_MODES.map((m) => ({ value: m, label: VOTE_MODE_LABELS[m] }));

export function JamForm({ initial, failure, submitLabel }: { initial: JamFormValues; failure?: FormFailure; submitLabel: string }) {
  const busy = useNavigation().state === "submitting";
  // The server renders times in UTC; the browser switches to its own zone.
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(new Date().getTimezoneOffset()), []);

  const v = failure?.values;
  const e = failure?.fieldErrors ?? {};
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
      <div className="grid grid--2">
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
      <CheckboxField
        label="Keep as a draft"
        name="isDraft"
        defaultChecked={v ? v.isDraft === "on" : initial.isDraft}
        hint="Drafts are visible to facilitators and leaders only."
      />
      <fieldset className="stack">
        <legend>Challenges</legend>
        <p className="field__hint">Each challenge asks the crowd one question. A row left blank is ignored.</p>
        {e.challenges ? (
          <div className="field__error" role="alert">
            {e.challenges.join(" ")}
          </div>
        ) : null}
        {rows.map((row, index) => (
          <div key={row.key} className="card stack" data-testid="challenge-row">
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
            <SelectField
              label={`How people vote on challenge ${index + 1}`}
              name={`challenges.${index}.voteMode`}
              defaultValue={row.voteMode ?? "support"}
              options={VOTE_MODE_OPTIONS}
              errors={e[`challenges.${row.key}.voteMode`]}
              hint="Support: up-votes. Agree / disagree / pass: one idea at a time, as Polis does. Dots: everyone spends a budget."
            />
            {/* Shown only while "Dots" is chosen (CSS :has, so it works before JavaScript too). */}
            <div className="grid grid--2 dot-settings">
              <TextField
                label={`Challenge ${index + 1} dots per person`}
                name={`challenges.${index}.dotBudget`}
                type="number"
                defaultValue={String(row.dotBudget ?? DEFAULT_DOTS.budget)}
                errors={e[`challenges.${row.key}.dotBudget`]}
              />
              <TextField
                label={`Challenge ${index + 1} most dots on one idea`}
                name={`challenges.${index}.dotMaxPerIdea`}
                type="number"
                defaultValue={String(row.dotMaxPerIdea ?? DEFAULT_DOTS.maxPerIdea)}
                errors={e[`challenges.${row.key}.dotMaxPerIdea`]}
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
      <div className="row">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
      </div>
    </Form>
  );
}
