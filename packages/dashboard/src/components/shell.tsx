import { Link, NavLink } from 'react-router';
import { useSession } from '../session.js';
import './shell.css';

/** The frame of every signed-in page: the product name, navigation, who is signed in, sign-out. */
export function Shell({ children }: { children: React.ReactNode }) {
  const { signOut, user } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Samplit
        </Link>
        <nav aria-label="Main" className="topbar-nav">
          <NavLink to="/" end>
            Experiments
          </NavLink>
        </nav>
        <div className="topbar-account">
          {/* Space kept while /auth/me loads, so the bar does not shift when the email arrives. */}
          <span className="topbar-email" title={user?.email}>
            {user ? (
              <>
                <span className="visually-hidden">Signed in as </span>
                {user.email}
              </>
            ) : null}
          </span>
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
