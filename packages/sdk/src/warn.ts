let warned = false;

/**
 * The SDK's only console output ("<what> failed: <error>"): one warning per page, however many things fail, so a Samplit outage
 * never floods the host site's console.
 */
export function warnOnce(what: string, error: unknown): void {
  if (warned) return;
  warned = true;
  try {
    console.warn('[samplit] ' + what + ' failed: ' + error + ' (original page shown; later warnings muted)');
  } catch {}
}

/** For tests. */
export function resetWarning(): void {
  warned = false;
}
