import { MAX_SELECTOR } from './agent-messages.js';
import { matchText } from './visual-draft.js';

/** An element picked on the page (the agent's `selected`), with its selector as edited since. */
export interface Selection {
  selector: string;
  tag: string;
  text: string;
}

interface SelectionPanelProps {
  selection: Selection | null;
  matches: number | null | 'no-answer' | undefined;
  onSelector(selector: string): void;
  /** The element the selection can be used for, by name; null: none (a split URL test). */
  target: string | null;
  onUse(): void;
  /** Null when the experiment cannot get another element; `note` then says why. */
  onAdd: (() => void) | null;
  note: string | null;
  onClear(): void;
}

/** The element picked on the page: its selector (editable, with its matches) and what to do with it. */
export function SelectionPanel(props: SelectionPanelProps) {
  const { selection, matches } = props;
  return (
    <section className="ve-section" aria-labelledby="ve-selection-title">
      <h2 id="ve-selection-title">Selected on the page</h2>
      {!selection ? (
        <p className="muted">
          In Select mode, click an element on the page: its own click handlers and links do not run.
        </p>
      ) : (
        <>
          <p className="ve-picked small">
            <code>&lt;{selection.tag || 'element'}&gt;</code>{' '}
            {selection.text
              ? `“${selection.text.length > 80 ? `${selection.text.slice(0, 80)}…` : selection.text}”`
              : ''}
          </p>
          <div className="stack">
            <label htmlFor="ve-selector">CSS selector</label>
            <input
              id="ve-selector"
              className="code"
              spellCheck={false}
              maxLength={MAX_SELECTOR}
              value={selection.selector}
              onChange={(event) => props.onSelector(event.target.value)}
              aria-describedby="ve-selector-matches"
            />
            <p
              id="ve-selector-matches"
              className={`ve-matches small${typeof matches === 'number' && matches < 1 ? ' error' : ''}`}
              aria-live="polite"
            >
              {matchText(matches)}
            </p>
          </div>
          <div className="buttons">
            {props.target !== null && (
              <button type="button" onClick={props.onUse} disabled={selection.selector.trim() === ''}>
                Use for {props.target}
              </button>
            )}
            {props.onAdd && (
              <button
                type="button"
                className="secondary"
                onClick={props.onAdd}
                disabled={selection.selector.trim() === ''}
              >
                Add as new element
              </button>
            )}
            <button type="button" className="secondary" onClick={props.onClear}>
              Clear
            </button>
          </div>
          {props.note && <p className="hint">{props.note}</p>}
        </>
      )}
    </section>
  );
}
