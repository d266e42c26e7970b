import { useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { ApiError } from '../api/client.js';
import { useSession } from '../session.js';

export function SignInPage({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const { signedIn, notice, signIn, signUp } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Where the user was when the session ended (or which signed-in page sent them here).
  const from = (useLocation().state as { from?: string } | null)?.from;
  const back = from && /^\/(?!\/|sign-in|sign-up)/.test(from) ? from : '/';
  if (signedIn) return <Navigate to={back} replace />;
  const title = mode === 'sign-in' ? 'Sign in' : 'Create an account';

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await (mode === 'sign-in' ? signIn : signUp)(email, password);
    } catch (e) {
      setError(
        e instanceof ApiError
          ? e.details[0]?.message
            ? `${e.message} ${e.details[0].message}`
            : e.message
          : 'The server could not be reached.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth">
      <h1>Samplit</h1>
      <form onSubmit={submit} className="card" aria-labelledby="auth-title">
        <h2 id="auth-title">{title}</h2>
        {notice && mode === 'sign-in' && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          minLength={mode === 'sign-up' ? 8 : undefined}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {title}
        </button>
        {mode === 'sign-in' ? (
          <p>
            No account yet? <Link to="/sign-up">Create an account</Link>
          </p>
        ) : (
          <p>
            Have an account? <Link to="/sign-in">Sign in</Link>
          </p>
        )}
      </form>
    </main>
  );
}
