import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, session, whenSignedOut } from './api/client.js';

interface SessionValue {
  signedIn: boolean;
  /** Why the last session ended (shown on the sign-in page), if it did. */
  notice: string | null;
  signIn(email: string, password: string): Promise<void>;
  signUp(email: string, password: string): Promise<void>;
  signOut(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const navigate = useNavigate();
  const [signedIn, setSignedIn] = useState(() => session.token() !== null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    whenSignedOut((reason) => {
      setSignedIn(false);
      setNotice(reason);
      navigate('/sign-in', { replace: true });
    });
  }, [navigate]);

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
      notice,
      signIn,
      async signUp(email, password) {
        await api('/auth/register', { method: 'POST', body: { email, password } });
        await signIn(email, password);
      },
      signOut() {
        session.clear();
        setSignedIn(false);
        setNotice('You have signed out.');
        navigate('/sign-in', { replace: true });
      },
    }),
    [signedIn, notice, signIn, navigate],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
