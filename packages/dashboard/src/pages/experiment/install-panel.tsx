import { useRef, useState } from 'react';
import { session } from '../../api/client.js';
import type { Experiment } from '../../api/types.js';

/**
 * The script tag that runs this experiment on a page (packages/sdk/README.md), for this server's
 * origin; the anti-flicker hides the elements the experiment changes until they are ready.
 */
export function scriptTag(experiment: Pick<Experiment, 'id' | 'elements'>, origin: string): string {
  const selectors = experiment.elements.map((e) => e.selector).filter((s): s is string => !!s);
  const antiFlicker = selectors.length
    ? `\n        data-anti-flicker="${selectors.join(', ').replace(/"/g, '&quot;')}"`
    : '';
  return [
    `<link rel="preconnect" href="${origin}" crossorigin>`,
    `<script src="${origin}/sdk/samplit.js"`,
    `        data-experiments="${experiment.id}"${antiFlicker}></script>`,
  ].join('\n');
}

/** The file name the server proposes in Content-Disposition, else a fallback. */
function fileName(header: string | null, fallback: string): string {
  const match = header?.match(/filename="([^"]+)"/);
  return match?.[1] ?? fallback;
}

/** Install snippet with a copy button, and the CSV export. */
export function InstallPanel({ experiment }: { experiment: Experiment }) {
  const snippet = scriptTag(experiment, window.location.origin);
  const code = useRef<HTMLPreElement>(null);
  const [copyNote, setCopyNote] = useState('');
  const [downloadNote, setDownloadNote] = useState('');
  const [downloading, setDownloading] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopyNote('Copied to the clipboard.');
    } catch {
      // No clipboard (insecure origin, denied permission): select the text for a manual copy.
      const el = code.current;
      if (el) {
        const range = document.createRange();
        range.selectNodeContents(el);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
      setCopyNote('Copying is not allowed here: the snippet is selected, press Ctrl+C (⌘C on a Mac).');
    }
  };

  // The export needs the bearer token, which a plain link cannot send: fetch it, then save the
  // body through a temporary Blob URL.
  const download = async () => {
    setDownloading(true);
    setDownloadNote('');
    try {
      const token = session.token();
      const res = await fetch(`/api/v1/experiments/${experiment.id}/export.csv`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      if (!res.ok) throw new Error(`The server answered ${res.status}.`);
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName(res.headers.get('content-disposition'), `experiment-${experiment.id}.csv`);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDownloadNote(`Saved ${a.download}.`);
    } catch (e) {
      setDownloadNote(`Download failed: ${e instanceof Error ? e.message : 'network error'}`);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <section className="card" aria-labelledby="install-title">
      <h2 id="install-title">Install and export</h2>
      <p className="small">
        Put this in the <code>&lt;head&gt;</code> of the page, without <code>async</code> or{' '}
        <code>defer</code>, so variants apply before the page is painted. Mark goals with{' '}
        <code>data-samplit-goal="{'<goal>'}"</code>.
      </p>
      <pre ref={code} className="snippet">
        <code>{snippet}</code>
      </pre>
      <div className="actions">
        <button type="button" onClick={copy}>
          Copy the script tag
        </button>
        {experiment.raw_data_removed_at === null && (
          <button type="button" className="secondary" onClick={download} disabled={downloading}>
            {downloading ? 'Preparing the CSV…' : 'Download CSV (one row per visitor)'}
          </button>
        )}
      </div>
      {experiment.raw_data_removed_at !== null && (
        <p className="small">
          Retention removed this experiment’s per-visitor rows on{' '}
          {new Date(experiment.raw_data_removed_at).toLocaleDateString()}; its statistics and charts come from
          the aggregates it kept, and the per-visitor CSV is no longer available.
        </p>
      )}
      <p className="small" role="status" aria-live="polite">
        {copyNote} {downloadNote}
      </p>
    </section>
  );
}
