import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api } from '../../api/client.js';
import type { Experiment, PreviewLinks } from '../../api/types.js';

type Load =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; links: PreviewLinks };

const days = (seconds: number) => {
  const d = Math.round(seconds / 86_400);
  return d >= 1 ? `${d} day${d === 1 ? '' : 's'}` : `${Math.max(1, Math.round(seconds / 3600))} hours`;
};

/** Puts `text` on the clipboard; without one (an insecure origin, a denied permission) selects `field`. */
async function copy(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.focus();
    field?.select();
    return false;
  }
}

function LinkRow({ item, onNote }: { item: PreviewLinks['items'][number]; onNote(note: string): void }) {
  const field = useRef<HTMLInputElement>(null);
  const id = `preview-${item.combination_id}`;
  return (
    <li className="preview-link">
      <label htmlFor={id}>{item.label}</label>
      {item.url ? (
        <div className="preview-link-row">
          <input
            id={id}
            ref={field}
            readOnly
            value={item.url}
            className="code"
            onFocus={(e) => e.target.select()}
          />
          <button
            type="button"
            className="secondary"
            onClick={async () =>
              onNote(
                (await copy(item.url ?? '', field.current))
                  ? `Copied the link for ${item.label}.`
                  : 'Copying is not allowed here: the link is selected, press Ctrl+C (⌘C on a Mac).',
              )
            }
          >
            Copy<span className="visually-hidden"> the preview link for {item.label}</span>
          </button>
          <a href={item.url} target="_blank" rel="noreferrer noopener">
            Open<span className="visually-hidden"> the preview of {item.label}</span>
          </a>
        </div>
      ) : null}
    </li>
  );
}

/**
 * Preview links: the experiment's page with `samplit_preview=<token>`, which makes the SDK show
 * that combination to whoever opens it, without enrolling them or counting anything.
 */
export function PreviewLinksPanel({ experiment }: { experiment: Pick<Experiment, 'id' | 'url'> }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [note, setNote] = useState('');
  const { id, url } = experiment;

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ state: 'loading' });
    api<PreviewLinks>(`/experiments/${id}/preview-links`, { signal: controller.signal })
      .then((links) => setLoad({ state: 'ready', links }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad({
          state: 'failed',
          message: error instanceof ApiError ? error.message : 'The preview links could not be loaded.',
        });
      });
    return () => controller.abort();
  }, [id]);

  return (
    <section className="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview links</h2>
      <p className="small">
        A preview link opens the experiment’s page with one combination forced for whoever opens it, so you
        can check each variant on the live site. It does not enrol that person or count anything, in any
        status. The page needs the Samplit script tag (below).
        {load.state === 'ready' ? ` Links stay valid for ${days(load.links.expires_in)}.` : ''}
      </p>
      {!url && (
        <p className="notice small">
          This experiment has no page URL, so there is no page to link to.{' '}
          <Link to={`/experiments/${id}/edit`}>Set its page URL</Link> to get a preview link per combination.
        </p>
      )}
      {load.state === 'loading' && (
        <p className="muted small" aria-busy="true">
          Loading the preview links…
        </p>
      )}
      {load.state === 'failed' && (
        <p className="error small" role="alert">
          {load.message}
        </p>
      )}
      {load.state === 'ready' && url && (
        <ul className="preview-links">
          {load.links.items.map((item) => (
            <LinkRow key={item.combination_id} item={item} onNote={setNote} />
          ))}
        </ul>
      )}
      <p className="small" role="status" aria-live="polite">
        {note}
      </p>
    </section>
  );
}
