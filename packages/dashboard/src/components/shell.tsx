import { Link } from 'react-router';
import { useSession } from '../session.js';

/** The frame of every signed-in page: the product name, navigation and sign-out. */
export function Shell({ children }: { children: React.ReactNode }) {
  const { signOut } = useSession();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          Samplit
        </Link>
        <nav aria-label="Main">
          <Link to="/">Experiments</Link>
        </nav>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
