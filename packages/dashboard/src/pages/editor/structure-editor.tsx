import { ContentEditor } from './content-editor.js';
import {
  activeElements,
  combinationText,
  countCombinations,
  DEFAULT_MAX_COMBINATIONS,
  type Draft,
  type EditorType,
  type ElementDraft,
  freshElementName,
  freshVariantName,
  newElement,
  newVariant,
  withType,
} from './experiment-draft.js';
import { FieldError, Label, useErrorProps } from './field-error.js';
import { ids } from './field-paths.js';
import { VariantCell } from './variant-cell.js';

/** The API's limits on a structure (experiment-schemas.ts): elements per experiment, variants per element. */
const MAX_ELEMENTS = 20;
const MAX_VARIANTS = 100;

const TYPES: { id: EditorType; label: string; hint: string }[] = [
  {
    id: 'ab',
    label: 'A/B test',
    hint: 'One element of the page, found by a CSS selector, in two or more variants.',
  },
  {
    id: 'split',
    label: 'Split URL test',
    hint: 'Each variant sends visitors to its own URL; the control keeps the page.',
  },
  {
    id: 'multi',
    label: 'Multi-element test',
    hint: 'Several elements at once; every combination of their variants is an arm.',
  },
];

interface StructureProps {
  draft: Draft;
  onChange: (draft: Draft) => void;
  /** False once the experiment has started: the structure is shown, not edited. */
  editable: boolean;
  /** The types this form may switch between (an existing experiment keeps its API type). */
  types: readonly EditorType[];
  expanded: ReadonlySet<string>;
  onToggle: (variantKey: string) => void;
}

export function TypeChoice({ draft, onChange, editable, types }: StructureProps) {
  const errorProps = useErrorProps(ids.type);
  return (
    <fieldset id={ids.type} className="type-choice" disabled={!editable} {...errorProps}>
      <legend>Type</legend>
      {TYPES.map((type) => (
        <div key={type.id} className="type-option">
          <input
            type="radio"
            name="experiment-type"
            id={`type-${type.id}`}
            value={type.id}
            checked={draft.type === type.id}
            disabled={!types.includes(type.id)}
            onChange={() => onChange(withType(draft, type.id))}
            aria-describedby={`type-${type.id}-hint`}
          />
          <label htmlFor={`type-${type.id}`}>{type.label}</label>
          <small id={`type-${type.id}-hint`} className="hint">
            {type.hint}
          </small>
        </div>
      ))}
      <FieldError id={ids.type} />
    </fieldset>
  );
}

function ElementEditor({
  draft,
  e,
  onChange,
  onRemove,
  removable,
  expanded,
  onToggle,
  editable,
}: {
  draft: Draft;
  e: number;
  onChange: (element: ElementDraft) => void;
  /** Multi-element only; disabled at the two elements it needs. */
  onRemove?: () => void;
  removable: boolean;
  expanded: ReadonlySet<string>;
  onToggle: (key: string) => void;
  editable: boolean;
}) {
  const element = draft.elements[e];
  const multi = draft.type === 'multi';
  const prefix = multi ? `Element ${e + 1}, variant` : 'Variant';
  const elementName = ids.element(e, 'name');
  const selector = ids.element(e, 'selector');
  const nameErrors = useErrorProps(elementName);
  const selectorErrors = useErrorProps(selector);
  const variantsErrors = useErrorProps(ids.element(e, 'variants'));

  function removeVariant(v: number) {
    const variants = element.variants.filter((_, i) => i !== v);
    const control = element.control === v ? 0 : element.control > v ? element.control - 1 : element.control;
    onChange({ ...element, variants, control });
  }

  return (
    <section className={multi ? 'element card' : 'element'} aria-labelledby={`element-${element.key}-title`}>
      <h3 id={`element-${element.key}-title`} className={multi ? undefined : 'visually-hidden'}>
        {multi ? `Element ${e + 1}` : 'Variants'}
      </h3>
      {draft.type !== 'split' && (
        <div className="element-head">
          {multi && (
            <div className="stack">
              <Label htmlFor={elementName} context={`Element ${e + 1}`}>
                Name
              </Label>
              <input
                id={elementName}
                value={element.name}
                maxLength={200}
                required
                onChange={(event) => onChange({ ...element, name: event.target.value })}
                {...nameErrors}
              />
              <FieldError id={elementName} />
            </div>
          )}
          <div className="stack grow">
            <Label htmlFor={selector} context={multi ? `Element ${e + 1}` : undefined}>
              CSS selector
            </Label>
            <input
              id={selector}
              className="code"
              value={element.selector}
              placeholder="#hero .cta"
              spellCheck={false}
              onChange={(event) => onChange({ ...element, selector: event.target.value })}
              {...selectorErrors}
            />
            <FieldError id={selector} />
          </div>
          {onRemove && editable && (
            <button type="button" className="secondary small" onClick={onRemove} disabled={!removable}>
              Remove element<span className="visually-hidden"> {e + 1}</span>
            </button>
          )}
        </div>
      )}
      <div className="variant-grid" id={ids.element(e, 'variants')} {...variantsErrors}>
        {element.variants.map((variant, v) => (
          <VariantCell
            key={variant.key}
            draft={draft}
            element={element}
            e={e}
            v={v}
            context={`${prefix} ${v + 1}`}
            onChange={(next) =>
              onChange({ ...element, variants: element.variants.map((old, i) => (i === v ? next : old)) })
            }
            onControl={() => onChange({ ...element, control: v })}
            onRemove={() => removeVariant(v)}
            expanded={expanded.has(variant.key)}
            onToggle={() => onToggle(variant.key)}
            editable={editable}
          />
        ))}
        {editable && (
          <div className="variant-add">
            <button
              type="button"
              className="secondary"
              disabled={element.variants.length >= MAX_VARIANTS}
              onClick={() =>
                onChange({
                  ...element,
                  variants: [
                    ...element.variants,
                    newVariant(freshVariantName(element.variants.map((x) => x.name))),
                  ],
                })
              }
            >
              Add variant{multi && <span className="visually-hidden"> to element {e + 1}</span>}
            </button>
          </div>
        )}
      </div>
      <FieldError id={ids.element(e, 'variants')} />
      {editable &&
        element.variants.map(
          (variant, v) =>
            expanded.has(variant.key) && (
              <section
                key={variant.key}
                className="content-panel"
                id={`${ids.variant(e, v, 'content')}-panel`}
                aria-label={`Content of ${prefix.toLowerCase()} ${v + 1}`}
              >
                <h4>
                  Content of {multi ? `${element.name || `element ${e + 1}`} › ` : ''}
                  {variant.name || `variant ${v + 1}`}
                </h4>
                <ContentEditor
                  e={e}
                  v={v}
                  context={`${prefix} ${v + 1}`}
                  content={variant.content}
                  allowJs={draft.allowCustomJs}
                  omit={draft.type === 'split' ? ['redirect_url'] : []}
                  onChange={(content) =>
                    onChange({
                      ...element,
                      variants: element.variants.map((old, i) => (i === v ? { ...old, content } : old)),
                    })
                  }
                />
              </section>
            ),
        )}
    </section>
  );
}

/** The count of arms, live, against the server's default limit (the API has no endpoint for its own). */
export function CombinationCount({ elements }: { elements: readonly { variants: readonly unknown[] }[] }) {
  const over = countCombinations(elements) > DEFAULT_MAX_COMBINATIONS;
  return (
    <p className={over ? 'combination-count warning' : 'combination-count'} aria-live="polite">
      {combinationText(elements)}
      {over && ': more than the server allows unless SAMPLIT_MAX_COMBINATIONS was raised.'}
    </p>
  );
}

/** Elements and variants: what is tested. */
export function StructureEditor(props: StructureProps) {
  const { draft, onChange, editable, expanded, onToggle } = props;
  const setElement = (e: number, element: ElementDraft) =>
    onChange({ ...draft, elements: draft.elements.map((old, i) => (i === e ? element : old)) });
  const multi = draft.type === 'multi';
  const elements = activeElements(draft);
  const structureErrors = useErrorProps(ids.structure);
  return (
    <fieldset className="structure" disabled={!editable} id={ids.structure} {...structureErrors}>
      <legend>{multi ? 'Elements and variants' : 'Variants'}</legend>
      {elements.map((element, e) => (
        <ElementEditor
          key={element.key}
          draft={draft}
          e={e}
          onChange={(next) => setElement(e, next)}
          onRemove={
            multi
              ? () => onChange({ ...draft, elements: draft.elements.filter((_, i) => i !== e) })
              : undefined
          }
          removable={draft.elements.length > 2}
          expanded={expanded}
          onToggle={onToggle}
          editable={editable}
        />
      ))}
      <FieldError id={ids.structure} />
      {multi && editable && (
        <div className="buttons">
          <button
            type="button"
            className="secondary"
            disabled={draft.elements.length >= MAX_ELEMENTS}
            onClick={() =>
              onChange({
                ...draft,
                elements: [
                  ...draft.elements,
                  newElement(freshElementName(draft.elements.map((x) => x.name))),
                ],
              })
            }
          >
            Add element
          </button>
        </div>
      )}
      <CombinationCount elements={elements} />
    </fieldset>
  );
}
