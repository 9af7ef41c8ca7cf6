import { Form, useNavigation } from "@remix-run/react";
import { POINT_REASON_LABELS, POINT_REASONS, type PointRules } from "~/domain/points";
import { CheckboxField, FormError, TextField, type FormFailure } from "./form";

/** A facilitator's per-jam point rules and leaderboard visibility. */
export function GamificationForm({
  rules,
  leaderboardsHidden,
  failure,
  saved,
}: {
  rules: PointRules;
  leaderboardsHidden: boolean;
  failure?: FormFailure;
  saved?: boolean;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "gamification";
  const v = failure?.values;
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="gamification-heading">
      <h2 id="gamification-heading">Points and leaderboards</h2>
      <p className="muted small">
        Points reward quality: nobody earns from their own content or from anonymous posts, and points stop when the jam
        ends.
      </p>
      <input type="hidden" name="intent" value="gamification" />
      {saved ? (
        <div className="alert alert--info" role="status">
          Point rules saved.
        </div>
      ) : null}
      <FormError message={failure?.formError} />
      <div className="grid grid--3">
        {POINT_REASONS.map((reason) => (
          <TextField
            key={reason}
            label={POINT_REASON_LABELS[reason]}
            name={reason}
            type="number"
            defaultValue={v?.[reason] ?? String(rules[reason])}
            errors={failure?.fieldErrors[reason]}
          />
        ))}
        <TextField
          label="Daily cap per person"
          name="dailyCap"
          type="number"
          defaultValue={v?.dailyCap ?? String(rules.dailyCap)}
          errors={failure?.fieldErrors.dailyCap}
          hint="Most points one person can earn in this jam per day."
        />
      </div>
      <CheckboxField
        label="Hide leaderboards from participants"
        name="leaderboardsHidden"
        defaultChecked={v ? v.leaderboardsHidden === "on" : leaderboardsHidden}
        hint="Participants still see their own points; facilitators and leaders see everything."
      />
      <div>
        <button type="submit" className="btn btn--secondary" disabled={busy}>
          {busy ? "Saving…" : "Save point rules"}
        </button>
      </div>
    </Form>
  );
}
