import { POINT_REASON_LABELS, POINT_REASONS, type PointRules } from "~/domain/points";
import { CheckboxField, TextField } from "~/components/form";

/**
 * A jam's point rules and leaderboard visibility: a part of the jam form (fields
 * named `points.<rule>`), saved with the rest of the jam by its one Save button.
 */
export function PointsFields({
  rules,
  leaderboardsHidden,
  values,
  errors,
}: {
  rules: PointRules;
  leaderboardsHidden: boolean;
  /** What was typed, when the form came back refused. */
  values?: Record<string, string>;
  errors: Record<string, string[]>;
}) {
  const typed = (name: string) => values?.[`points.${name}`];
  return (
    <fieldset className="stack" id="points">
      <legend>Points and leaderboards</legend>
      <p className="field__hint">
        Points reward quality: nobody earns from their own content or from anonymous posts, and points stop when the jam
        ends. The defaults suit most jams.
      </p>
      <div className="grid grid--3 points-grid">
        {POINT_REASONS.map((reason) => (
          <TextField
            key={reason}
            label={POINT_REASON_LABELS[reason]}
            name={`points.${reason}`}
            type="number"
            defaultValue={typed(reason) ?? String(rules[reason])}
            errors={errors[`points.${reason}`]}
          />
        ))}
        <TextField
          label="Daily cap per person"
          name="points.dailyCap"
          type="number"
          defaultValue={typed("dailyCap") ?? String(rules.dailyCap)}
          errors={errors["points.dailyCap"]}
          hint="Most points one person can earn in this jam per day."
        />
      </div>
      <CheckboxField
        label="Hide leaderboards from participants"
        name="points.leaderboardsHidden"
        defaultChecked={values ? values["points.leaderboardsHidden"] === "on" : leaderboardsHidden}
        hint="Participants still see their own points; facilitators and leaders see everything."
      />
    </fieldset>
  );
}
