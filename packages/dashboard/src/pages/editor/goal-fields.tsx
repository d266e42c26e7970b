// The goals of the experiment form: one row per goal definition.
import type { Draft } from './experiment-draft.js';
import { newKey } from './experiment-draft.js';
import { FieldError, Label, useErrorProps } from './field-error.js';
import { type GoalPart, ids } from './field-paths.js';
import {
  DIRECTION_LABELS,
  type GoalDraft,
  KIND_LABELS,
  newGoal,
  ROLE_LABELS,
  withoutGoal,
  withRole,
} from './goal-draft.js';

export function Goals({ draft, onChange }: { draft: Draft; onChange: (goals: Draft['goals']) => void }) {
  const errorProps = useErrorProps(ids.goals);
  const goals = draft.goals;
  const update = (g: number, patch: Partial<GoalDraft>) =>
    onChange(goals.map((old, i) => (i === g ? { ...old, ...patch } : old)));
  return (
    <div id={ids.goals} className="goals-editor" {...errorProps}>
      <p className="hint" id="goals-hint">
        Conversion events count toward the goal they name. A conversion goal counts visitors who converted, a
        revenue goal adds up the events’ values per visitor, a count goal counts events per visitor. The
        primary goal drives the bandit and the decision; secondary goals are reported; a guardrail is reported
        too, and the decision warns when the winner is likely worse on it than the control by more than its
        threshold (a percentage of the control’s value; 2% unless you change it).
      </p>
      {goals.length === 0 && (
        <p className="hint">No goals: conversion events without a goal name (“conversion”) are counted.</p>
      )}
      <ol className="goals">
        {goals.map((goal, g) => (
          <GoalRow
            key={goal.key}
            g={g}
            goal={goal}
            onChange={(patch) => update(g, patch)}
            onRole={(role) => onChange(withRole(goals, g, role))}
            onRemove={() => onChange(withoutGoal(goals, g))}
          />
        ))}
      </ol>
      <FieldError id={ids.goals} />
      <button
        type="button"
        className="secondary"
        onClick={() => onChange([...goals, newGoal(newKey(), '', goals.length === 0)])}
      >
        Add goal
      </button>
    </div>
  );
}

function GoalRow(props: {
  g: number;
  goal: GoalDraft;
  onChange: (patch: Partial<GoalDraft>) => void;
  onRole: (role: GoalDraft['role']) => void;
  onRemove: () => void;
}) {
  const { g, goal } = props;
  const context = `Goal ${g + 1}`;
  const id = (part: GoalPart) => ids.goal(g, part);
  return (
    <li className={`goal goal-${goal.role}`}>
      <GoalControl id={id('key')} context={context} label="Key" className="goal-key">
        {(controlProps) => (
          <input
            {...controlProps}
            value={goal.name}
            maxLength={100}
            placeholder="signup"
            spellCheck={false}
            autoCapitalize="off"
            onChange={(event) => props.onChange({ name: event.target.value })}
          />
        )}
      </GoalControl>
      <GoalControl id={id('kind')} context={context} label="Kind" className="goal-kind">
        {(controlProps) => (
          <select
            {...controlProps}
            value={goal.kind}
            onChange={(event) => props.onChange({ kind: event.target.value as GoalDraft['kind'] })}
          >
            {Object.entries(KIND_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </GoalControl>
      <GoalControl id={id('direction')} context={context} label="Direction" className="goal-direction">
        {(controlProps) => (
          <select
            {...controlProps}
            value={goal.direction}
            onChange={(event) => props.onChange({ direction: event.target.value as GoalDraft['direction'] })}
          >
            {Object.entries(DIRECTION_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </GoalControl>
      <GoalControl id={id('role')} context={context} label="Role" className="goal-role">
        {(controlProps) => (
          <select
            {...controlProps}
            value={goal.role}
            onChange={(event) => props.onRole(event.target.value as GoalDraft['role'])}
          >
            {Object.entries(ROLE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </GoalControl>
      {/* The threshold's cell is kept for every role, so choosing guardrail moves nothing. */}
      <div className="goal-threshold">
        {goal.role === 'guardrail' && (
          <GoalControl id={id('threshold')} context={context} label="Threshold (%)" hint="goals-hint">
            {(controlProps) => (
              <input
                {...controlProps}
                type="number"
                min={0}
                max={1000}
                step="any"
                inputMode="decimal"
                value={goal.threshold}
                onChange={(event) => props.onChange({ threshold: event.target.value })}
              />
            )}
          </GoalControl>
        )}
      </div>
      <div className="goal-remove">
        <button type="button" className="secondary small" onClick={props.onRemove}>
          Remove<span className="visually-hidden"> goal {g + 1}</span>
        </button>
      </div>
    </li>
  );
}

type ControlProps = {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
};

/** A labelled control of a goal row with the API's message for it. */
function GoalControl(props: {
  id: string;
  context: string;
  label: string;
  className?: string;
  /** The id of a hint that describes the control too. */
  hint?: string;
  children: (controlProps: ControlProps) => React.ReactNode;
}) {
  const errorProps = useErrorProps(props.id);
  const describedBy = [props.hint, errorProps['aria-describedby']].filter(Boolean).join(' ') || undefined;
  return (
    <div className={props.className ? `stack ${props.className}` : 'stack'}>
      <Label htmlFor={props.id} context={props.context}>
        {props.label}
      </Label>
      {props.children({ id: props.id, ...errorProps, 'aria-describedby': describedBy })}
      <FieldError id={props.id} />
    </div>
  );
}
