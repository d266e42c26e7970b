import { readJson, writeJson } from './storage.js';

/** The query parameter of a preview link, and the sessionStorage key its tokens are kept under. */
export const PREVIEW_KEY = 'samplit_preview';

/**
 * The tab's preview tokens by experiment id: the one in the page URL's `samplit_preview` (a
 * preview link) added to those of earlier pages of this tab (sessionStorage), so the preview
 * follows the tester through the site; `samplit_preview=off` clears them. The experiment is the
 * token's `sub` claim, read without verifying: the server verifies the token, and a forged one
 * only gets its sender a 401. Outside a browser: none.
 */
export function previewTokens(): Record<string, string> {
  let tokens = readJson<Record<string, string>>('sessionStorage', PREVIEW_KEY, {});
  try {
    const token = new URLSearchParams(location.search).get(PREVIEW_KEY);
    if (token === 'off') tokens = {};
    else if (token)
      tokens[JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub] = token;
    writeJson('sessionStorage', PREVIEW_KEY, tokens);
  } catch {}
  return tokens;
}
