import { useState } from 'react';
import { type ContentDraft, type KeyValue, newPair } from './content-draft.js';
import { FieldError, Label, useErrorProps } from './field-error.js';
import { type ContentField, ids } from './field-paths.js';

interface PairsProps {
  e: number;
  v: number;
  field: 'attributes' | 'styles';
  rows: KeyValue[];
  context: string;
  onChange: (rows: KeyValue[]) => void;
}

function PairsEditor({ e, v, field, rows, context, onChange }: PairsProps) {
  const id = ids.variant(e, v, field);
  const [keyLabel, valueLabel, what] =
    field === 'attributes' ? ['Attribute', 'Value', 'attribute'] : ['CSS property', 'Value', 'style'];
  const set = (r: number, patch: Partial<KeyValue>) =>
    onChange(rows.map((row, i) => (i === r ? { ...row, ...patch } : row)));
  return (
    <fieldset id={id} className="pairs" {...useErrorProps(id)}>
      <legend>
        {field === 'attributes' ? 'Attributes' : 'Styles'}
        <span className="visually-hidden"> of {context}</span>
      </legend>
      {rows.map((row, r) => (
        <div className="pair" key={row.key}>
          <div className="stack">
            <Label htmlFor={ids.pair(e, v, field, r, 'key')} context={`${context} ${what} ${r + 1}`}>
              {keyLabel}
            </Label>
            <input
              id={ids.pair(e, v, field, r, 'key')}
              value={row.name}
              placeholder={field === 'attributes' ? 'href' : 'background-color'}
              onChange={(event) => set(r, { name: event.target.value })}
            />
          </div>
          <div className="stack">
            <Label htmlFor={ids.pair(e, v, field, r, 'value')} context={`${context} ${what} ${r + 1}`}>
              {valueLabel}
            </Label>
            <input
              id={ids.pair(e, v, field, r, 'value')}
              value={row.value}
              onChange={(event) => set(r, { value: event.target.value })}
            />
          </div>
          <button
            type="button"
            className="secondary small"
            onClick={() => onChange(rows.filter((_, i) => i !== r))}
          >
            Remove
            <span className="visually-hidden">
              {' '}
              {what} {r + 1} of {context}
            </span>
          </button>
        </div>
      ))}
      <button type="button" className="secondary small" onClick={() => onChange([...rows, newPair()])}>
        Add {what}
        <span className="visually-hidden"> to {context}</span>
      </button>
      <FieldError id={id} />
    </fieldset>
  );
}

interface ContentEditorProps {
  /** Element and variant index: they name the controls (field-paths.ts). */
  e: number;
  v: number;
  /** Who the controls belong to, for screen readers: "Element 1, variant 2". */
  context: string;
  content: ContentDraft;
  onChange: (content: ContentDraft) => void;
  /** Custom JavaScript is offered only when the experiment allows it (or a variant already has some). */
  allowJs: boolean;
  /** Fields edited elsewhere (a split URL test puts redirect_url next to the name). */
  omit?: readonly ContentField[];
}

/** Every field of a variant's content (docs/architecture.md#variant-content). */
export function ContentEditor({ e, v, context, content, onChange, allowJs, omit = [] }: ContentEditorProps) {
  const id = (field: ContentField) => ids.variant(e, v, field);
  const set = <K extends keyof ContentDraft>(field: K, value: ContentDraft[K]) =>
    onChange({ ...content, [field]: value });
  const [payloadChecked, setPayloadChecked] = useState<string | null>(null);
  const errorProps = {
    text: useErrorProps(id('text')),
    html: useErrorProps(id('html')),
    css: useErrorProps(id('css')),
    redirect_url: useErrorProps(id('redirect_url')),
    hide: useErrorProps(id('hide')),
    payload: useErrorProps(id('payload')),
    js: useErrorProps(id('js')),
  };

  function checkPayload(text: string) {
    if (text.trim() === '') return setPayloadChecked(null);
    try {
      JSON.parse(text);
      setPayloadChecked(null);
    } catch (error) {
      setPayloadChecked(`Not valid JSON yet: ${(error as Error).message}`);
    }
  }

  const text = (field: 'text' | 'html' | 'css' | 'js', label: string, hint: string, rows = 3) => (
    <div className="stack">
      <Label htmlFor={id(field)} context={context}>
        {label}
      </Label>
      <textarea
        id={id(field)}
        rows={rows}
        value={content[field]}
        spellCheck={field === 'text'}
        className={field === 'text' ? undefined : 'code'}
        onChange={(event) => set(field, event.target.value)}
        {...errorProps[field]}
      />
      <small className="hint">{hint}</small>
      <FieldError id={id(field)} />
    </div>
  );

  return (
    <div className="content-editor">
      {text('text', 'Text', 'Replaces the element’s text (HTML-escaped).', 2)}
      {text('html', 'HTML', 'Replaces the element’s inner HTML; wins over text. Scripts inside do not run.')}
      <PairsEditor
        e={e}
        v={v}
        field="attributes"
        rows={content.attributes}
        context={context}
        onChange={(rows) => set('attributes', rows)}
      />
      <PairsEditor
        e={e}
        v={v}
        field="styles"
        rows={content.styles}
        context={context}
        onChange={(rows) => set('styles', rows)}
      />
      {text('css', 'CSS', 'A stylesheet added to the page while this variant shows.')}
      {!omit.includes('redirect_url') && (
        <div className="stack">
          <Label htmlFor={id('redirect_url')} context={context}>
            Redirect URL
          </Label>
          <input
            id={id('redirect_url')}
            type="url"
            inputMode="url"
            placeholder="https://example.com/landing-b"
            value={content.redirect_url}
            onChange={(event) => set('redirect_url', event.target.value)}
            {...errorProps.redirect_url}
          />
          <small className="hint">Sends the visitor to this page, keeping the query string.</small>
          <FieldError id={id('redirect_url')} />
        </div>
      )}
      <div className="check">
        <input
          id={id('hide')}
          type="checkbox"
          checked={content.hide}
          onChange={(event) => set('hide', event.target.checked)}
          {...errorProps.hide}
        />
        <Label htmlFor={id('hide')} context={context}>
          Hide the element
        </Label>
        <FieldError id={id('hide')} />
      </div>
      <div className="stack">
        <Label htmlFor={id('payload')} context={context}>
          Payload (JSON)
        </Label>
        <textarea
          id={id('payload')}
          rows={3}
          className="code"
          spellCheck={false}
          placeholder='{"headline": "Try it free"}'
          value={content.payload}
          onChange={(event) => {
            set('payload', event.target.value);
            if (payloadChecked) checkPayload(event.target.value);
          }}
          onBlur={(event) => checkPayload(event.target.value)}
          {...errorProps.payload}
          aria-describedby={
            [
              errorProps.payload['aria-describedby'],
              payloadChecked && !errorProps.payload['aria-invalid'] ? `${id('payload')}-check` : undefined,
            ]
              .filter(Boolean)
              .join(' ') || undefined
          }
        />
        <small className="hint">Not applied by the SDK: your code reads it with samplit.getPayload().</small>
        {payloadChecked && !errorProps.payload['aria-invalid'] && (
          <p id={`${id('payload')}-check`} className="field-error">
            {payloadChecked}
          </p>
        )}
        <FieldError id={id('payload')} />
      </div>
      {(allowJs || content.js !== '') && (
        <div className="stack">
          <p className="warning">
            Custom JavaScript runs on your visitors’ pages with the page’s full privileges. Only paste code
            you have reviewed.
            {!allowJs &&
              ' This experiment does not allow custom JavaScript: remove it, or allow it in the settings.'}
          </p>
          {text('js', 'Custom JavaScript', 'Runs as a script once the variant is applied.', 4)}
        </div>
      )}
    </div>
  );
}
