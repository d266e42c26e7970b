import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, session, whenSignedOut } from './api/client.js';
import type { User } from './api/types.js';

interface SessionValue {
  signedIn: boolean;
  /** The signed-in user (GET /auth/me); null while it loads and when signed out. */
  user: User | null;
  /** Why the last session ended (shown on the sign-in page), if it did. */
  notice: string | null;
  signIn(email: string, password: string): Promise<void>;
  signUp(email: string, password: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

/**
 * The session is the API's bearer token in sessionStorage (see api/client.ts): a reload of the
 * tab finds it there and stays signed in. The token is checked at once against GET /auth/me, so
 * one the API refuses (expired, or signed with another secret) sends the user back to sign-in
 * with the client's notice; after signing in again they return to the page they were on.
 */
export function SessionProvider({ children }: { children: React.ReactNode }) {
  const navigate = useNavigate();
  const [signedIn, setSignedIn] = useState(() => session.token() !== null);
  const [user, setUser] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    whenSignedOut((reason) => {
      setSignedIn(false);
      setUser(null);
      setNotice(reason);
      // Requests in flight together each report the 401: the first one says where the user was.
      if (window.location.pathname === '/sign-in') return;
      const from = window.location.pathname + window.location.search;
      navigate('/sign-in', { replace: true, state: { from } });
    });
  }, [navigate]);

  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    // A 401 is handled by the client (whenSignedOut above); any other failure leaves the email
    // out of the shell and the pages report their own errors.
    api<User>('/auth/me', { signal: abort.signal }).then(setUser, () => {});
    return () => abort.abort();
  }, [signedIn]);

  const signIn = useCallback(async (email: string, password: string) => {
    const token = await api<{ access_token: string }>('/auth/token', {
      method: 'POST',
      body: { email, password },
    });
    session.set(token.access_token);
    setNotice(null);
    setSignedIn(true);
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      signedIn,
      user,
      notice,
      signIn,
      async signUp(email, password) {
        await api('/auth/register', { method: 'POST', body: { email, password } });
        await signIn(email, password);
      },
      signOut() {
        session.clear();
        setSignedIn(false);
        setUser(null);
        setNotice('You have signed out.');
        navigate('/sign-in', { replace: true });
      },
    }),
    [signedIn, user, notice, signIn, navigate],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
