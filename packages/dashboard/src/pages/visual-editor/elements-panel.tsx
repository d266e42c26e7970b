import { activeElements, type Draft } from '../editor/experiment-draft.js';
import { FieldError, useErrorProps } from '../editor/field-error.js';
import { ids } from '../editor/field-paths.js';
import { MAX_SELECTOR } from './agent-messages.js';
import { matchText, selectorsApply } from './visual-draft.js';

interface ElementsPanelProps {
  draft: Draft;
  current: number;
  onCurrent(e: number): void;
  onName(e: number, name: string): void;
  onSelector(e: number, selector: string): void;
  /** Null when the element cannot go (an experiment keeps at least its minimum). */
  onRemove: ((e: number) => void) | null;
  /** Matches of the current element's selector on the page. */
  matches: number | null | 'no-answer' | undefined;
}

/** The experiment's elements; the current one's name and selector can be edited. */
export function ElementsPanel({
  draft,
  current,
  onCurrent,
  onName,
  onSelector,
  onRemove,
  matches,
}: ElementsPanelProps) {
  const elements = activeElements(draft);
  const element = elements[current];
  const nameId = ids.element(current, 'name');
  const selectorId = ids.element(current, 'selector');
  const nameError = useErrorProps(nameId);
  const selectorError = useErrorProps(selectorId);
  const multi = draft.type === 'multi';
  return (
    <section className="ve-section" aria-labelledby="ve-elements-title">
      <h2 id="ve-elements-title">Elements</h2>
      <fieldset className="ve-list">
        <legend className="visually-hidden">Element to edit</legend>
        {elements.map((el, e) => (
          <label key={el.key} className={e === current ? 've-item on' : 've-item'}>
            <input type="radio" name="ve-element" checked={e === current} onChange={() => onCurrent(e)} />
            <span className="ve-item-name">{el.name || `Element ${e + 1}`}</span>
            <code className="ve-item-selector">
              {selectorsApply(draft) ? el.selector.trim() || 'no selector yet' : 'page-level (split URL)'}
            </code>
          </label>
        ))}
      </fieldset>
      {element && (
        <div className="ve-element">
          {multi && (
            <div className="stack">
              <label htmlFor={nameId}>Element name</label>
              <input
                id={nameId}
                value={element.name}
                onChange={(event) => onName(current, event.target.value)}
                {...nameError}
              />
              <FieldError id={nameId} />
            </div>
          )}
          {selectorsApply(draft) && (
            <div className="stack">
              <label htmlFor={selectorId}>
                <span className="visually-hidden">{element.name} </span>Element’s CSS selector
              </label>
              <input
                id={selectorId}
                className="code"
                spellCheck={false}
                maxLength={MAX_SELECTOR}
                value={element.selector}
                placeholder="#cta"
                onChange={(event) => onSelector(current, event.target.value)}
                {...selectorError}
                aria-describedby={[selectorError['aria-describedby'], 've-element-matches']
                  .filter(Boolean)
                  .join(' ')}
              />
              <p id="ve-element-matches" className="ve-matches small" aria-live="polite">
                {element.selector.trim() === ''
                  ? 'Pick it on the page, or type a selector.'
                  : matchText(matches)}
              </p>
              <FieldError id={selectorId} />
            </div>
          )}
          {onRemove && (
            <button type="button" className="secondary small" onClick={() => onRemove(current)}>
              Remove {element.name || `element ${current + 1}`}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
