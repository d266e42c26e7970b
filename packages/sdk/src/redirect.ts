/**
 * Where a split-URL variant sends the visitor: `redirectUrl` resolved against the current page,
 * with the current query parameters the target does not set and the current hash when the target
 * has none. `null` when the visitor is already there (so a variant page never redirects to itself).
 *
 * @example redirectTarget('/b', 'https://s.example/a?utm=x#top') // 'https://s.example/b?utm=x#top'
 */
export function redirectTarget(redirectUrl: string, currentUrl: string): string | null {
  try {
    const current = new URL(currentUrl);
    const target = new URL(redirectUrl, current);
    if (!/^https?:$/.test(target.protocol)) return null;
    current.searchParams.forEach((value, key) => {
      if (!target.searchParams.has(key)) target.searchParams.append(key, value);
    });
    if (!target.hash) target.hash = current.hash;
    current.hash = target.hash;
    return target.href === current.href ? null : target.href;
  } catch {
    return null;
  }
}
