import type { ContentDraft } from '../editor/content-draft.js';
import { ContentEditor } from '../editor/content-editor.js';
import type { Draft } from '../editor/experiment-draft.js';
import { FieldError, useErrorProps } from '../editor/field-error.js';
import { ids } from '../editor/field-paths.js';

interface VariantsPanelProps {
  draft: Draft;
  /** The element whose variants are shown. */
  e: number;
  /** Its variant shown and edited. */
  v: number;
  onPick(v: number): void;
  onAdd(): void;
  onRemove: ((v: number) => void) | null;
  onName(v: number, name: string): void;
  onContent(v: number, content: ContentDraft): void;
}

/** The element's variants: pick one to preview and edit it with the content editor of the edit page. */
export function VariantsPanel({
  draft,
  e,
  v,
  onPick,
  onAdd,
  onRemove,
  onName,
  onContent,
}: VariantsPanelProps) {
  const element = draft.elements[e];
  const variant = element.variants[v];
  const elementName = element.name || `Element ${e + 1}`;
  const nameId = ids.variant(e, v, 'name');
  const nameError = useErrorProps(nameId);
  return (
    <section className="ve-section" aria-labelledby="ve-variants-title">
      <h2 id="ve-variants-title">
        Variants<span className="visually-hidden"> of {elementName}</span>
      </h2>
      <fieldset className="ve-list ve-variants">
        <legend className="visually-hidden">Variant of {elementName} to preview and edit</legend>
        {element.variants.map((item, i) => (
          <label key={item.key} className={i === v ? 've-chip on' : 've-chip'}>
            <input type="radio" name={`ve-variant-${e}`} checked={i === v} onChange={() => onPick(i)} />
            {item.name || `Variant ${i + 1}`}
            {i === element.control ? <span className="muted"> (control)</span> : null}
          </label>
        ))}
        <button type="button" className="secondary small" onClick={onAdd}>
          Add variant<span className="visually-hidden"> to {elementName}</span>
        </button>
      </fieldset>
      {variant && (
        <div className="ve-variant">
          <div className="stack">
            <label htmlFor={nameId}>Variant name</label>
            <input
              id={nameId}
              value={variant.name}
              onChange={(event) => onName(v, event.target.value)}
              {...nameError}
            />
            <FieldError id={nameId} />
          </div>
          {v === element.control && (
            <p className="hint">
              The control: what visitors who are not in the experiment see. Leave it unchanged to compare
              against the page as it is.
            </p>
          )}
          <ContentEditor
            e={e}
            v={v}
            context={`${elementName}, ${variant.name || `variant ${v + 1}`}`}
            content={variant.content}
            onChange={(content) => onContent(v, content)}
            allowJs={draft.allowCustomJs}
            omit={draft.type === 'split' ? [] : ['redirect_url']}
          />
          {onRemove && (
            <button type="button" className="secondary small" onClick={() => onRemove(v)}>
              Remove {variant.name || `variant ${v + 1}`}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
