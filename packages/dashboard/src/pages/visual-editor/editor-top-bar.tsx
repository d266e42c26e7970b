import { useState } from 'react';
import type { EditorMode } from './protocol.js';
import { pageAddress } from './proxy-token.js';

interface EditorTopBarProps {
  /** The page shown (or asked for); follows the page's own route changes. */
  address: string;
  onGo(url: string): void;
  mode: EditorMode;
  onMode(mode: EditorMode): void;
  onSave(): void;
  saving: boolean;
  dirty: boolean;
}

/** The page's address with Go, the Select/Interact switch, and Save. */
export function EditorTopBar({ address, onGo, mode, onMode, onSave, saving, dirty }: EditorTopBarProps) {
  // What the person types; replaced when the page itself moves to another address.
  const [typed, setTyped] = useState(address);
  const [shown, setShown] = useState(address);
  const [problem, setProblem] = useState<string | null>(null);
  if (address !== shown) {
    setShown(address);
    setTyped(address);
  }

  return (
    <div className="ve-topbar">
      <form
        className="ve-address"
        aria-label="Page to edit"
        onSubmit={(event) => {
          event.preventDefault();
          const url = pageAddress(typed);
          if (!url) {
            setProblem('Give the page’s full address, starting with https:// or http://.');
            return;
          }
          setProblem(null);
          onGo(url);
        }}
      >
        <label htmlFor="ve-url">Page URL</label>
        <input
          id="ve-url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/pricing"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 've-url-error' : undefined}
        />
        <button type="submit">Go</button>
        {problem && (
          <p id="ve-url-error" className="field-error" role="alert">
            {problem}
          </p>
        )}
      </form>
      <fieldset className="ve-mode">
        <legend className="visually-hidden">Mode</legend>
        {(['select', 'interact'] as const).map((m) => (
          <label key={m} className={mode === m ? 'on' : undefined}>
            <input type="radio" name="ve-mode" value={m} checked={mode === m} onChange={() => onMode(m)} />
            {m === 'select' ? 'Select' : 'Interact'}
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        className="ve-save"
        onClick={onSave}
        disabled={saving}
        aria-describedby="ve-dirty"
      >
        {saving ? 'Saving…' : 'Save'}
      </button>
      <span id="ve-dirty" className="ve-dirty small muted">
        {dirty ? 'Unsaved changes' : 'All changes saved'}
      </span>
    </div>
  );
}
