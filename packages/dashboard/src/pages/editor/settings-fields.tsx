// The settings controls of the experiment form: text fields, allocation, custom JavaScript.
import type { Draft } from './experiment-draft.js';
import { FieldError, useErrorProps } from './field-error.js';
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
  /** type number: its range and step (default 0 to 100, any step: a percentage). */
  range?: { min: number; max: number; step: number | 'any' };
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
            ? {
                ...(props.range ?? { min: 0, max: 100, step: 'any' }),
                inputMode: props.range?.step === 1 ? ('numeric' as const) : ('decimal' as const),
              }
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
