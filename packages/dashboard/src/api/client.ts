/**
 * The dashboard's one way to call the API. The credential is the API's bearer token, kept in
 * sessionStorage: it survives a reload of the tab, is not shared with other tabs or kept after the
 * browser closes, and, sent as a header rather than a cookie, cannot be ridden by another site's
 * form (no CSRF). Script injection is what could read it; the server's CSP allows scripts from
 * this origin only.
 */
const TOKEN_KEY = 'samplit.token';

export interface ApiErrorDetail {
  field: string;
  message: string;
}

/** An API error in the one error shape (docs/architecture.md#error-shape). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set(token: string) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** Told when a signed-in request comes back 401 (expired or revoked session). */
let onSignedOut: (reason: string) => void = () => {};
export function whenSignedOut(handler: (reason: string) => void): void {
  onSignedOut = handler;
}

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const token = session.token();
  const res = await fetch(`/api/v1${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    signal: options.signal,
  });
  if (res.status === 204) return undefined as T;
  const payload = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = payload?.error;
    const apiError = new ApiError(
      res.status,
      error?.code ?? 'UNKNOWN',
      error?.message ?? `The server answered ${res.status}.`,
      error?.details ?? [],
    );
    if (res.status === 401 && token) {
      session.clear();
      onSignedOut('Your session has ended. Sign in again.');
    }
    throw apiError;
  }
  return payload as T;
}
