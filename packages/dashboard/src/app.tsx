import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Shell } from './components/shell.js';
import { EditExperimentPage, NewExperimentPage } from './pages/editor/experiment-editor-pages.js';
import { ExperimentPage } from './pages/experiment/experiment-page.js';
import { ExperimentsPage } from './pages/experiments-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { VisualEditorPage } from './pages/visual-editor/visual-editor-page.js';
import { SessionProvider, useSession } from './session.js';

function SignedIn({ children }: { children: React.ReactNode }) {
  const { signedIn } = useSession();
  const location = useLocation();
  return signedIn ? (
    <Shell>{children}</Shell>
  ) : (
    <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />
  );
}

/** The routes. Every path not named here falls back to the experiments list. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/sign-in" element={<SignInPage mode="sign-in" />} />
          <Route path="/sign-up" element={<SignInPage mode="sign-up" />} />
          <Route
            path="/"
            element={
              <SignedIn>
                <ExperimentsPage />
              </SignedIn>
            }
          />
          <Route
            path="/experiments/new"
            element={
              <SignedIn>
                <NewExperimentPage />
              </SignedIn>
            }
          />
          <Route
            path="/experiments/:id/edit"
            element={
              <SignedIn>
                <EditExperimentPage />
              </SignedIn>
            }
          />
          <Route
            path="/experiments/:id/visual"
            element={
              <SignedIn>
                <VisualEditorPage />
              </SignedIn>
            }
          />
          <Route
            path="/experiments/:id"
            element={
              <SignedIn>
                <ExperimentPage />
              </SignedIn>
            }
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
