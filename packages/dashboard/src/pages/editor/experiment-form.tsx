import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.js';
import {
  type Built,
  type Draft,
  type EditorType,
  MAX_PLANNED_VISITORS,
  MIN_PLANNED_VISITORS,
} from './experiment-draft.js';
import { ErrorsContext } from './field-error.js';
import { describeControl, type FieldMessage, ids, placeErrors } from './field-paths.js';
import { Goals } from './goal-fields.js';
import { Allocation, CustomJs, TextField } from './settings-fields.js';
import { StructureEditor, TypeChoice } from './structure-editor.js';
import { TargetingBuilder } from './targeting-builder.js';
import './editor.css';

/** The planned-visitors field's hint: what a horizon changes. */
export const PLANNED_VISITORS_HINT =
  'Optional: with a horizon the test is most powerful at that size; without one it can be stopped any time.';

interface Summary {
  title: string;
  /** Messages no control holds, shown in full. */
  unplaced: FieldMessage[];
  /** Control ids with messages, linked from the summary. */
  placed: [string, string[]][];
}

export interface ExperimentFormProps<Body> {
  title: string;
  initial: Draft;
  /** The types the form may switch between. */
  types: readonly EditorType[];
  /** False once the experiment has started; `lockedReason` then says so. */
  structureEditable: boolean;
  lockedReason?: string;
  /** Shown under the title (the edit page's link to the visual editor). */
  aside?: React.ReactNode;
  submitLabel: string;
  cancelTo: string;
  build: (draft: Draft) => Built<Body>;
  send: (body: Body) => Promise<void>;
}

/** Variant keys whose content panel holds a message, so a message is never inside a closed panel. */
function variantsWithContentErrors(draft: Draft, placed: Map<string, string[]>): string[] {
  const keys: string[] = [];
  draft.elements.forEach((element, e) => {
    element.variants.forEach((variant, v) => {
      const prefix = `variant-${e}-${v}-`;
      const always = new Set([
        'name',
        'weight',
        'control',
        ...(draft.type === 'split' ? ['redirect_url'] : []),
      ]);
      for (const id of placed.keys()) {
        if (id.startsWith(prefix) && !always.has(id.slice(prefix.length))) keys.push(variant.key);
      }
    });
  });
  return keys;
}

function focusControl(id: string) {
  const target = document.getElementById(id);
  if (!target) return;
  target.scrollIntoView({ block: 'center' });
  const focusable = target.matches('input, select, textarea, button')
    ? target
    : target.querySelector<HTMLElement>('input, select, textarea, button');
  focusable?.focus();
}

/** The create and edit form: settings always, structure while the experiment is a draft. */
export function ExperimentForm<Body>(props: ExperimentFormProps<Body>) {
  const { initial, structureEditable } = props;
  const [draft, setDraft] = useState(initial);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [summary, setSummary] = useState<Summary | null>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (summary) summaryRef.current?.focus();
  }, [summary]);

  function show(placed: Map<string, string[]>, unplaced: FieldMessage[], title: string) {
    setErrors(placed);
    setExpanded((old) => new Set([...old, ...variantsWithContentErrors(draft, placed)]));
    setSummary({ title, unplaced, placed: [...placed.entries()] });
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const built = props.build(draft);
    if (!built.ok) {
      show(built.problems, [], 'Fix the marked fields: nothing was sent yet.');
      return;
    }
    setBusy(true);
    try {
      await props.send(built.body);
    } catch (error) {
      if (error instanceof ApiError) {
        const { placed, unplaced } = placeErrors(error.details, { targetingMode: draft.targeting.mode });
        show(placed, unplaced, error.message);
      } else {
        show(new Map(), [], 'The server could not be reached. Nothing was saved; try again.');
      }
    } finally {
      setBusy(false);
    }
  }

  const toggle = (key: string) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const set = (patch: Partial<Draft>) => setDraft((old) => ({ ...old, ...patch }));
  const setting = (name: string) => ids.setting(name);
  const structureProps = {
    draft,
    onChange: setDraft,
    editable: structureEditable,
    types: props.types,
    expanded,
    onToggle: toggle,
  };

  return (
    <ErrorsContext.Provider value={errors}>
      <form className="editor" noValidate onSubmit={submit} aria-labelledby="editor-title">
        <h1 id="editor-title">{props.title}</h1>
        {props.aside}
        {summary && (
          <div
            className="error-summary"
            role="alert"
            tabIndex={-1}
            ref={summaryRef}
            aria-labelledby="summary-title"
          >
            <h2 id="summary-title">{summary.title}</h2>
            {summary.unplaced.length > 0 && (
              <ul>
                {summary.unplaced.map((detail) => (
                  <li key={`${detail.field}:${detail.message}`}>
                    {detail.field && <code>{detail.field.replace(/^body\./, '')}</code>} {detail.message}
                  </li>
                ))}
              </ul>
            )}
            {summary.placed.length > 0 && (
              <ul>
                {summary.placed.map(([id, messages]) => (
                  <li key={id}>
                    <a
                      href={`#${id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        focusControl(id);
                      }}
                    >
                      {describeControl(id, draft.type === 'multi')}
                    </a>
                    : {messages.join(' ')}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {!structureEditable && props.lockedReason && (
          <p className="notice" id="locked-reason">
            {props.lockedReason}
          </p>
        )}

        <section className="card" aria-labelledby="basics-title">
          <h2 id="basics-title">Basics</h2>
          <TextField
            id={setting('name')}
            label="Name"
            value={draft.name}
            onChange={(name) => set({ name })}
            required
          />
          <TextField
            id={setting('description')}
            label="Description"
            value={draft.description}
            onChange={(description) => set({ description })}
            multiline
          />
          <TextField
            id={setting('url')}
            label="Page URL"
            hint="The page the experiment runs on (for your reference and the install snippet)."
            type="url"
            placeholder="https://example.com/pricing"
            value={draft.url}
            onChange={(url) => set({ url })}
          />
        </section>

        <section className="card" aria-labelledby="structure-title" aria-describedby="locked-reason">
          <h2 id="structure-title">What is tested</h2>
          <TypeChoice {...structureProps} />
          <StructureEditor {...structureProps} />
        </section>

        <section className="card" aria-labelledby="traffic-title">
          <h2 id="traffic-title">Traffic</h2>
          <Allocation draft={draft} onChange={(allocation) => set({ allocation })} />
          <TextField
            id={setting('traffic_percentage')}
            label="Traffic percentage"
            hint="Share of matching visitors who take part (0–100); the others see the control."
            type="number"
            value={draft.traffic}
            onChange={(traffic) => set({ traffic })}
            narrow
          />
          <TextField
            id={setting('planned_visitors')}
            label="Planned visitors"
            hint={PLANNED_VISITORS_HINT}
            type="number"
            range={{ min: MIN_PLANNED_VISITORS, max: MAX_PLANNED_VISITORS, step: 1 }}
            placeholder="none"
            value={draft.plannedVisitors}
            onChange={(plannedVisitors) => set({ plannedVisitors })}
            narrow
          />
        </section>

        <section className="card" aria-labelledby="goals-title">
          <h2 id="goals-title">Goals</h2>
          <Goals draft={draft} onChange={(goals) => set({ goals })} />
        </section>

        <section className="card" aria-labelledby="targeting-title">
          <h2 id="targeting-title" className="visually-hidden">
            Targeting
          </h2>
          <TargetingBuilder targeting={draft.targeting} onChange={(targeting) => set({ targeting })} />
        </section>

        <section className="card" aria-labelledby="js-title">
          <h2 id="js-title">Custom JavaScript</h2>
          <CustomJs draft={draft} onChange={(allowCustomJs) => set({ allowCustomJs })} />
        </section>

        <div className="buttons form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : props.submitLabel}
          </button>
          <Link to={props.cancelTo}>Cancel</Link>
        </div>
      </form>
    </ErrorsContext.Provider>
  );
}
