import { contentSize } from './content-draft.js';
import type { Draft, ElementDraft, VariantDraft } from './experiment-draft.js';
import { FieldError, Label, useErrorProps } from './field-error.js';
import { ids } from './field-paths.js';

/** The API's least variants per element (experiment-schemas.ts, structure.ts). */
const MIN_VARIANTS = 2;

/** One variant of an element: its name, control choice, weight under fixed allocation, content summary. */
export function VariantCell({
  draft,
  element,
  e,
  v,
  context,
  onChange,
  onControl,
  onRemove,
  expanded,
  onToggle,
  editable,
}: {
  draft: Draft;
  element: ElementDraft;
  e: number;
  v: number;
  context: string;
  onChange: (variant: VariantDraft) => void;
  onControl: () => void;
  onRemove: () => void;
  expanded: boolean;
  onToggle: () => void;
  editable: boolean;
}) {
  const variant = element.variants[v];
  const isControl = element.control === v;
  const total = element.variants.reduce((sum, x) => sum + Math.max(Number(x.weight) || 0, 0), 0);
  const share =
    Number(variant.weight) > 0 && total > 0 ? Math.round((Number(variant.weight) / total) * 100) : null;
  const set = (patch: Partial<VariantDraft>) => onChange({ ...variant, ...patch });
  const name = ids.variant(e, v, 'name');
  const weight = ids.variant(e, v, 'weight');
  const control = ids.variant(e, v, 'control');
  const redirect = ids.variant(e, v, 'redirect_url');
  const size = contentSize(variant.content);
  const errors = {
    name: useErrorProps(name),
    weight: useErrorProps(weight),
    control: useErrorProps(control),
    redirect: useErrorProps(redirect),
    content: useErrorProps(ids.variant(e, v, 'content')),
  };
  return (
    <div className={`variant-cell${isControl ? ' is-control' : ''}`}>
      <div className="stack">
        <Label htmlFor={name} context={context}>
          Name
        </Label>
        <input
          id={name}
          value={variant.name}
          maxLength={200}
          required
          onChange={(event) => set({ name: event.target.value })}
          {...errors.name}
        />
        <FieldError id={name} />
      </div>
      {draft.allocation === 'fixed' && (
        <div className="stack">
          <Label htmlFor={weight} context={context}>
            Weight
          </Label>
          <div className="with-unit">
            <input
              id={weight}
              type="number"
              min="0"
              step="any"
              inputMode="decimal"
              value={variant.weight}
              onChange={(event) => set({ weight: event.target.value })}
              {...errors.weight}
            />
            <span className="muted">{share === null ? '–' : `${share}%`}</span>
          </div>
          <FieldError id={weight} />
        </div>
      )}
      <div className="check">
        <input
          type="radio"
          id={control}
          name={`control-${element.key}`}
          checked={isControl}
          onChange={onControl}
          {...errors.control}
        />
        <Label htmlFor={control} context={context}>
          Control
        </Label>
        <FieldError id={control} />
      </div>
      {draft.type === 'split' &&
        (isControl ? (
          <p className="muted">Keeps the page.</p>
        ) : (
          <div className="stack">
            <Label htmlFor={redirect} context={context}>
              Redirect URL
            </Label>
            <input
              id={redirect}
              type="url"
              inputMode="url"
              placeholder="https://example.com/landing-b"
              value={variant.content.redirect_url}
              onChange={(event) => set({ content: { ...variant.content, redirect_url: event.target.value } })}
              {...errors.redirect}
            />
            <FieldError id={redirect} />
          </div>
        ))}
      <div className="buttons">
        {editable ? (
          <button
            type="button"
            className="secondary small"
            aria-expanded={expanded}
            aria-controls={`${ids.variant(e, v, 'content')}-panel`}
            onClick={onToggle}
            {...errors.content}
          >
            {expanded ? 'Hide content' : draft.type === 'split' ? 'More content' : 'Edit content'}
            <span className="visually-hidden"> of {context}</span>
            {!expanded && size > 0 ? ` (${size} set)` : ''}
          </button>
        ) : (
          <span className="muted">
            {size === 0 ? 'No content' : `${size} content field${size === 1 ? '' : 's'}`}
          </span>
        )}
        {editable && (
          <button
            type="button"
            className="secondary small"
            onClick={onRemove}
            disabled={element.variants.length <= MIN_VARIANTS}
          >
            Remove<span className="visually-hidden"> {context}</span>
          </button>
        )}
      </div>
      <FieldError id={ids.variant(e, v, 'content')} />
    </div>
  );
}
