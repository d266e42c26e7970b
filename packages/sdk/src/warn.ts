let warned = false;

/**
 * The SDK's only console output: one warning per page, however many things fail, so a Samplit outage
 * never floods the host site's console.
 */
export function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  try {
    console.warn('[samplit] ' + message + ' (original page shown; later warnings muted)');
  } catch {}
}

/** For tests. */
export function resetWarning(): void {
  warned = false;
}
