// The settings controls of the experiment form: text fields, allocation, goals, custom JavaScript.
import type { Draft } from './experiment-draft.js';
import { newKey } from './experiment-draft.js';
import { FieldError, Label, useErrorProps } from './field-error.js';
import { ids } from './field-paths.js';

/** A labelled text input or textarea with its hint and the API's message for it. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  type?: string;
  placeholder?: string;
  required?: boolean;
  multiline?: boolean;
  narrow?: boolean;
}) {
  const errorProps = useErrorProps(props.id);
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const describedBy = [hintId, errorProps['aria-describedby']].filter(Boolean).join(' ') || undefined;
  const common = {
    id: props.id,
    value: props.value,
    placeholder: props.placeholder,
    required: props.required,
    ...errorProps,
    'aria-describedby': describedBy,
  };
  return (
    <div className={props.narrow ? 'stack narrow' : 'stack'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.multiline ? (
        <textarea rows={2} {...common} onChange={(event) => props.onChange(event.target.value)} />
      ) : (
        <input
          type={props.type ?? 'text'}
          {...(props.type === 'number'
            ? { min: 0, max: 100, step: 'any', inputMode: 'decimal' as const }
            : {})}
          {...common}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
      <FieldError id={props.id} />
    </div>
  );
}

export function Allocation({
  draft,
  onChange,
}: {
  draft: Draft;
  onChange: (value: Draft['allocation']) => void;
}) {
  const id = ids.setting('traffic_allocation');
  const errorProps = useErrorProps(id);
  return (
    <fieldset id={id} {...errorProps}>
      <legend>Allocation</legend>
      <div className="type-option">
        <input
          type="radio"
          id="allocation-adaptive"
          name="allocation"
          checked={draft.allocation === 'adaptive'}
          onChange={() => onChange('adaptive')}
          aria-describedby="allocation-adaptive-hint"
        />
        <label htmlFor="allocation-adaptive">Adaptive</label>
        <small className="hint" id="allocation-adaptive-hint">
          A multi-armed bandit: traffic moves toward the combinations that convert better.
        </small>
      </div>
      <div className="type-option">
        <input
          type="radio"
          id="allocation-fixed"
          name="allocation"
          checked={draft.allocation === 'fixed'}
          onChange={() => onChange('fixed')}
          aria-describedby="allocation-fixed-hint"
        />
        <label htmlFor="allocation-fixed">Fixed weights</label>
        <small className="hint" id="allocation-fixed-hint">
          Each variant keeps the share its weight gives it (set next to each variant).
        </small>
      </div>
      <FieldError id={id} />
    </fieldset>
  );
}

export function Goals({ draft, onChange }: { draft: Draft; onChange: (goals: Draft['goals']) => void }) {
  const errorProps = useErrorProps(ids.goals);
  return (
    <div id={ids.goals} {...errorProps}>
      <p className="hint" id="goals-hint">
        Conversion events count toward a goal by its name. The first goal is the primary one: the bandit and
        the decision count it; the others are reported.
      </p>
      <ol className="goals">
        {draft.goals.map((goal, g) => (
          <GoalRow
            key={goal.key}
            g={g}
            value={goal.name}
            onChange={(name) => onChange(draft.goals.map((old, i) => (i === g ? { ...old, name } : old)))}
            onRemove={() => onChange(draft.goals.filter((_, i) => i !== g))}
          />
        ))}
      </ol>
      <FieldError id={ids.goals} />
      <button
        type="button"
        className="secondary"
        onClick={() => onChange([...draft.goals, { key: newKey(), name: '' }])}
      >
        Add goal
      </button>
    </div>
  );
}

function GoalRow(props: { g: number; value: string; onChange: (v: string) => void; onRemove: () => void }) {
  const id = ids.goal(props.g);
  const errorProps = useErrorProps(id);
  return (
    <li className="goal">
      <div className="stack grow">
        <Label htmlFor={id}>{props.g === 0 ? 'Goal 1 (primary)' : `Goal ${props.g + 1}`}</Label>
        <input
          id={id}
          value={props.value}
          maxLength={100}
          placeholder="signup"
          onChange={(event) => props.onChange(event.target.value)}
          {...errorProps}
        />
        <FieldError id={id} />
      </div>
      <button type="button" className="secondary small" onClick={props.onRemove}>
        Remove<span className="visually-hidden"> goal {props.g + 1}</span>
      </button>
    </li>
  );
}

export function CustomJs({ draft, onChange }: { draft: Draft; onChange: (value: boolean) => void }) {
  const id = ids.setting('allow_custom_js');
  const errorProps = useErrorProps(id);
  return (
    <div>
      <div className="check">
        <input
          type="checkbox"
          id={id}
          checked={draft.allowCustomJs}
          onChange={(event) => onChange(event.target.checked)}
          {...errorProps}
          aria-describedby={['custom-js-warning', errorProps['aria-describedby']].filter(Boolean).join(' ')}
        />
        <label htmlFor={id}>Allow custom JavaScript in variants</label>
      </div>
      <p className="warning" id="custom-js-warning">
        A variant’s script runs on every visitor’s page with the page’s full privileges: whoever can edit this
        experiment can run code on your site. Leave it off unless text, HTML, styles and payloads cannot do
        the job.
      </p>
      <FieldError id={id} />
    </div>
  );
}
