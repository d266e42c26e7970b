/**
 * Makes the proxied page see its real path. The proxy serves the page at
 * `<editor origin>/api/v1/visual-editor/proxy?url=…&token=…`, with a <base href> of the real page
 * (so its sub-resources load from the real site). Before any page script runs this replaces the
 * URL with the real path, query and hash on the editor origin (an SPA router then sees `/pricing`,
 * and the token leaves `location`), and wraps history.pushState/replaceState: the page resolves
 * its URLs against the real site (its base), which is another origin than the document's, so the
 * browser would throw; the wrapper hands the browser the same path on the editor origin instead.
 */

export interface HistoryBridge {
  /** The real page's URL now: the real origin with the document's path, query and hash. */
  realUrl(): string;
  /** A URL on the editor origin as the real site's URL; other URLs unchanged. */
  toReal(url: string): string;
  stop(): void;
}

type StateMethod = History['pushState'];

/** The Navigation API (Chromium), where a page's router may change the URL without History. */
interface NavigationLike extends EventTarget {}

export function installHistory(realStart: URL, onRoute: (url: string) => void): HistoryBridge {
  const realOrigin = realStart.origin;
  const local = (u: URL) => location.origin + u.pathname + u.search + u.hash;
  const realUrl = () => realOrigin + location.pathname + location.search + location.hash;
  const toReal = (url: string) => {
    try {
      const u = new URL(url, location.href);
      return u.origin === location.origin ? realOrigin + u.pathname + u.search + u.hash : u.href;
    } catch {
      return url;
    }
  };

  /**
   * The page's URL resolved as the real site would (against the document's base, which is the
   * real page), mapped to the editor origin; `undefined` when it is not the real site's (the
   * browser then throws as it would have on the real site) or cannot be parsed.
   */
  const toLocal = (url: unknown): string | undefined => {
    try {
      const u = new URL(String(url), document.baseURI);
      if (u.origin === realOrigin || u.origin === location.origin) return local(u);
    } catch {
      // Let the browser reject it as it would on the real site.
    }
    return undefined;
  };

  /*
   * Without a <base> of its own, the real page resolves relative links against its current URL,
   * which moves with pushState; the proxy's <base> is the URL it fetched. So when the base is the
   * fetched URL, it follows the route (a page with a base of its own keeps it, as on the real site).
   */
  const base = document.querySelector<HTMLBaseElement>('base[href]');
  const followBase = !!base && stripHash(base.href) === stripHash(realStart.href);

  const proto = History.prototype;
  const original = { pushState: proto.pushState, replaceState: proto.replaceState };
  let reported = realStart.href;

  const changed = () => {
    try {
      const now = realUrl();
      if (followBase && base) base.href = stripHash(now);
      if (now !== reported) {
        reported = now;
        onRoute(now);
      }
    } catch {
      // Never throw into the page.
    }
  };

  const wrap = (method: StateMethod): StateMethod =>
    function (this: History, ...args: Parameters<StateMethod>) {
      if (args.length >= 3 && args[2] != null) {
        const mapped = toLocal(args[2]);
        if (mapped) args[2] = mapped;
      }
      // Throws exactly when the browser rejects the call (bad state, another origin).
      const result = method.apply(this, args);
      changed();
      return result;
    };

  try {
    original.replaceState.call(history, history.state, '', local(realStart));
  } catch {
    // A page served elsewhere than the editor origin keeps its URL.
  }
  proto.pushState = wrap(original.pushState);
  proto.replaceState = wrap(original.replaceState);
  addEventListener('popstate', changed);
  addEventListener('hashchange', changed);
  const navigation = (window as { navigation?: NavigationLike }).navigation;
  navigation?.addEventListener('currententrychange', changed);

  return {
    realUrl,
    toReal,
    stop() {
      proto.pushState = original.pushState;
      proto.replaceState = original.replaceState;
      removeEventListener('popstate', changed);
      removeEventListener('hashchange', changed);
      navigation?.removeEventListener('currententrychange', changed);
    },
  };
}

const stripHash = (url: string) => url.replace(/#.*$/, '');
