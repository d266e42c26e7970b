import type { EditorMode } from './protocol.js';
import type { FrameState } from './use-proxied-page.js';

const MODE_HINT: Record<EditorMode, string> = {
  select: 'Select mode: click an element to pick it; the page’s own clicks and links do not run.',
  interact: 'Interact mode: use the page as a visitor would; links open here, through the editor.',
};

/** What the frame is doing, in one line that keeps its height whatever it says. */
export function FrameStatus({
  frame,
  mode,
  savedNote,
}: {
  frame: FrameState;
  mode: EditorMode;
  savedNote: string;
}) {
  const failed = frame.state === 'failed';
  return (
    <div className={`ve-status small${failed ? ' ve-status-failed' : ''}`}>
      <p role={failed ? 'alert' : 'status'}>
        {frame.state === 'idle' && 'No page open.'}
        {frame.state === 'token' && `Asking the server for an editor token for ${frame.url}…`}
        {frame.state === 'loading' && `Loading ${frame.url} through the editor proxy…`}
        {frame.state === 'ready' && (
          <>
            Editing <span className="ve-status-url">{frame.url}</span>. {MODE_HINT[mode]}
          </>
        )}
        {failed && frame.message}
      </p>
      <p role="status" className="ve-saved">
        {savedNote}
      </p>
    </div>
  );
}
