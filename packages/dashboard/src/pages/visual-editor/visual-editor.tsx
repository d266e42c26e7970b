import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api } from '../../api/client.js';
import type { Experiment } from '../../api/types.js';
import { activeElements, type Draft, draftFromExperiment, updateBody } from '../editor/experiment-draft.js';
import { ErrorsContext } from '../editor/field-error.js';
import { placeErrors } from '../editor/field-paths.js';
import { EditorTopBar } from './editor-top-bar.js';
import { ElementsPanel } from './elements-panel.js';
import { FrameStatus } from './frame-status.js';
import type { AgentMessage, EditorMode } from './protocol.js';
import { type SaveProblems, SaveSummary } from './save-summary.js';
import { type Selection, SelectionPanel } from './selection-panel.js';
import { useAgentFrame } from './use-agent-frame.js';
import { useMatchCount } from './use-match-count.js';
import { useProxiedPage } from './use-proxied-page.js';
import { useUnsavedGuard } from './use-unsaved-guard.js';
import { VariantsPanel } from './variants-panel.js';
import {
  addElement,
  addVariant,
  canAddElement,
  choiceWithout,
  combinationLabel,
  controlChoice,
  previewMessage,
  removeElement,
  removeVariant,
  renameElement,
  renameVariant,
  selectorsApply,
  setContent,
  setSelector,
} from './visual-draft.js';

/** What Save would send, as text: equal texts mean nothing changed since the last save. */
function bodyText(draft: Draft): string | null {
  const built = updateBody(draft, true);
  return built.ok ? JSON.stringify(built.body) : null;
}

/** The editor of a draft experiment: the proxied page, and the panel that changes its variants. */
export function VisualEditor({ experiment }: { experiment: Experiment }) {
  const [draft, setDraft] = useState(() => draftFromExperiment(experiment));
  const [saved, setSaved] = useState(() => bodyText(draftFromExperiment(experiment)));
  const [current, setCurrent] = useState(0);
  const [choice, setChoice] = useState<number[]>(() => controlChoice(draft));
  const [mode, setMode] = useState<EditorMode>('select');
  const [address, setAddress] = useState(experiment.url ?? '');
  const [selection, setSelection] = useState<Selection | null>(null);
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [problems, setProblems] = useState<SaveProblems | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedNote, setSavedNote] = useState('');
  const frameRef = useRef<HTMLIFrameElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const page = useProxiedPage();
  const { open } = page;

  const onMessage = (message: AgentMessage) => {
    page.onAgent(message);
    if (message.type === 'ready' || message.type === 'route') setAddress(message.url);
    else if (message.type === 'navigate') {
      setAddress(message.url);
      open(message.url);
    } else if (message.type === 'selected')
      setSelection({ selector: message.selector, tag: message.tag, text: message.text });
  };
  const agent = useAgentFrame(frameRef, page.origin, onMessage);
  const { post } = agent;
  const ready = page.frame.state === 'ready';

  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || !experiment.url) return;
    opened.current = true;
    open(experiment.url);
  }, [experiment.url, open]);

  useEffect(() => {
    if (ready) post({ type: 'mode', mode });
  }, [ready, mode, post]);

  // The current combination, sent again on every change: the agent applies it with the SDK's code.
  const previewText = useMemo(() => JSON.stringify(previewMessage(draft, choice)), [draft, choice]);
  useEffect(() => {
    if (ready) post(JSON.parse(previewText));
  }, [ready, previewText, post]);

  const elements = activeElements(draft);
  const e = Math.min(current, elements.length - 1);
  const element = elements[e];
  const v = Math.min(choice[e] ?? element.control, element.variants.length - 1);

  const highlight = selection?.selector.trim() || (selectorsApply(draft) && element.selector.trim()) || null;
  useEffect(() => {
    if (ready) post({ type: 'highlight', selector: highlight });
  }, [ready, highlight, post]);

  const selectionMatches = useMatchCount(agent.count, selection?.selector ?? '', ready);
  const elementMatches = useMatchCount(agent.count, selectorsApply(draft) ? element.selector : '', ready);

  const now = useMemo(() => bodyText(draft), [draft]);
  const dirty = now !== saved;
  useUnsavedGuard(dirty);

  useEffect(() => {
    if (problems) summaryRef.current?.focus();
  }, [problems]);

  const change = (next: Draft) => {
    setDraft(next);
    setSavedNote('');
  };

  const save = async () => {
    const built = updateBody(draft, true);
    if (!built.ok) {
      setErrors(built.problems);
      setProblems({
        title: 'Fix the marked fields: nothing was saved yet.',
        placed: [...built.problems],
        unplaced: [],
      });
      return;
    }
    setSaving(true);
    try {
      await api<Experiment>(`/experiments/${encodeURIComponent(experiment.id)}`, {
        method: 'PATCH',
        body: built.body,
      });
      setSaved(JSON.stringify(built.body));
      setErrors(new Map());
      setProblems(null);
      setSavedNote(`Saved at ${new Date().toLocaleTimeString()}.`);
    } catch (error) {
      if (error instanceof ApiError) {
        const { placed, unplaced } = placeErrors(error.details, { targetingMode: draft.targeting.mode });
        setErrors(placed);
        setProblems({ title: error.message, placed: [...placed], unplaced });
      } else {
        setProblems({
          title: 'The server could not be reached. Nothing was saved; try again.',
          placed: [],
          unplaced: [],
        });
      }
    } finally {
      setSaving(false);
    }
  };

  /** Brings the control `id` names into view (its element and variant first) and focuses it. */
  const goTo = useCallback((id: string) => {
    const match = /^(?:element|variant)-(\d+)-(?:(\d+)-)?/.exec(id);
    if (match) {
      const at = Number(match[1]);
      setCurrent(at);
      if (match[2] !== undefined) {
        const variant = Number(match[2]);
        setChoice((old) => old.map((c, i) => (i === at ? variant : c)));
      }
    }
    requestAnimationFrame(() => {
      const target = document.getElementById(id);
      const focusable = target?.matches('input, select, textarea, button')
        ? target
        : target?.querySelector<HTMLElement>('input, select, textarea, button');
      focusable?.focus();
    });
    return match !== null || document.getElementById(id) !== null;
  }, []);

  const multi = draft.type === 'multi';
  const target = selectorsApply(draft) ? element.name || `element ${e + 1}` : null;

  return (
    <ErrorsContext.Provider value={errors}>
      <div className="visual-editor">
        <EditorTopBar
          address={address}
          onGo={(url) => {
            setSelection(null);
            open(url);
          }}
          mode={mode}
          onMode={setMode}
          onSave={save}
          saving={saving}
          dirty={dirty}
        />
        <FrameStatus frame={page.frame} mode={mode} savedNote={savedNote} />
        {ready && draft.url.trim() === '' && (
          <p className="ve-url-note small">
            This experiment has no page URL, which its preview links need.{' '}
            <button
              type="button"
              className="secondary small"
              onClick={() =>
                change({ ...draft, url: page.frame.state === 'ready' ? page.frame.url : address })
              }
            >
              Use this page’s URL
            </button>
          </p>
        )}
        <div className="ve-body">
          <div className="ve-frame">
            {page.src ? (
              <iframe
                ref={frameRef}
                src={page.src}
                title={`Page being edited: ${page.frame.state === 'ready' && page.frame.title ? page.frame.title : address}`}
                sandbox="allow-scripts allow-same-origin allow-forms"
                onLoad={page.onLoad}
              />
            ) : (
              <div className="ve-frame-empty">
                <p className="muted">
                  {experiment.url
                    ? 'Opening the page…'
                    : 'This experiment has no page URL yet: type the address of the page to edit above and press Go.'}
                </p>
              </div>
            )}
          </div>
          <div className="ve-panel editor">
            {problems && (
              <SaveSummary
                ref={summaryRef}
                problems={problems}
                multi={multi}
                editTo={`/experiments/${experiment.id}/edit`}
                onGo={goTo}
              />
            )}
            <p className="ve-combination small" aria-live="polite">
              Previewing <strong>{combinationLabel(draft, choice)}</strong>
            </p>
            <SelectionPanel
              selection={selection}
              matches={selectionMatches}
              onSelector={(selector) => setSelection((s) => (s ? { ...s, selector } : s))}
              target={target}
              onUse={() => {
                if (selection) change(setSelector(draft, e, selection.selector.trim()));
              }}
              onAdd={
                canAddElement(draft)
                  ? () => {
                      if (!selection) return;
                      const added = addElement(draft, selection.selector.trim());
                      change(added.draft);
                      setChoice((old) => [...old, 0]);
                      setCurrent(added.e);
                    }
                  : null
              }
              note={
                draft.type === 'ab'
                  ? 'An A/B test changes one element. To test another element as well, create a multi-element test: an experiment’s type cannot change.'
                  : draft.type === 'split'
                    ? 'A split URL test changes no element: its variants send visitors to another URL (and may add page CSS).'
                    : null
              }
              onClear={() => setSelection(null)}
            />
            <ElementsPanel
              draft={draft}
              current={e}
              onCurrent={(next) => {
                setCurrent(next);
                setSelection(null);
              }}
              onName={(at, name) => change(renameElement(draft, at, name))}
              onSelector={(at, selector) => change(setSelector(draft, at, selector))}
              onRemove={
                multi && draft.elements.length > 2
                  ? (at) => {
                      change(removeElement(draft, at));
                      setChoice((old) => choiceWithout(old, at));
                      setCurrent(Math.max(0, at - 1));
                    }
                  : null
              }
              matches={elementMatches}
            />
            <VariantsPanel
              draft={draft}
              e={e}
              v={v}
              onPick={(next) => setChoice((old) => old.map((c, i) => (i === e ? next : c)))}
              onAdd={() => {
                const added = addVariant(draft, e);
                change(added.draft);
                setChoice((old) => old.map((c, i) => (i === e ? added.v : c)));
              }}
              onRemove={
                element.variants.length > 2
                  ? (at) => {
                      change(removeVariant(draft, e, at));
                      setChoice((old) => choiceWithout(old, e, at));
                    }
                  : null
              }
              onName={(at, name) => change(renameVariant(draft, e, at, name))}
              onContent={(at, content) => change(setContent(draft, e, at, content))}
            />
          </div>
        </div>
      </div>
    </ErrorsContext.Provider>
  );
}
