import type { TargetingDraft } from './experiment-draft.js';
import { FieldError, Label, useErrorProps } from './field-error.js';
import { ids } from './field-paths.js';
import {
  CONTEXT_FIELDS,
  type Combinator,
  type ContextField,
  conditionToRows,
  emptyRow,
  LIST_OPERATORS,
  OPERATORS,
  type OperatorId,
  rowsToCondition,
  type TargetingRow,
  VALUELESS,
} from './targeting-rows.js';

const FIELD_LABELS: Record<ContextField, string> = {
  url: 'Page URL',
  referrer: 'Referrer',
  user_agent: 'User agent',
  language: 'Language',
  attribute: 'Custom attribute',
};

/** Switches to raw JSON: the rows' condition, pretty-printed. */
export function toJsonMode(targeting: TargetingDraft): TargetingDraft {
  const condition = rowsToCondition(targeting.rows);
  return {
    ...targeting,
    mode: 'json',
    json: condition ? JSON.stringify(condition, null, 2) : '',
    note: null,
  };
}

/** Switches back to rows when the JSON says something rows can; otherwise stays, and says why. */
export function toRowsMode(targeting: TargetingDraft): TargetingDraft {
  let value: unknown = null;
  if (targeting.json.trim() !== '') {
    try {
      value = JSON.parse(targeting.json);
    } catch (error) {
      return {
        ...targeting,
        note: `Not valid JSON, so it cannot be shown as rows: ${(error as Error).message}`,
      };
    }
  }
  const parsed = conditionToRows(value);
  if (!parsed.ok) {
    return {
      ...targeting,
      note: `This rule cannot be shown as rows (${parsed.reason}). Keep editing it as JSON.`,
    };
  }
  return { ...targeting, mode: 'rows', rows: parsed.value, note: null };
}

function RowEditor({
  row,
  r,
  onChange,
  onRemove,
}: {
  row: TargetingRow;
  r: number;
  onChange: (row: TargetingRow) => void;
  onRemove: () => void;
}) {
  const id = ids.targetingRow(r);
  const context = `Rule ${r + 1}`;
  const errorProps = useErrorProps(id);
  return (
    <li className="targeting-row">
      <div className="stack">
        <Label htmlFor={`${id}-field`} context={context}>
          Attribute
        </Label>
        <select
          id={`${id}-field`}
          value={row.field}
          onChange={(event) => onChange({ ...row, field: event.target.value as ContextField })}
          {...errorProps}
        >
          {CONTEXT_FIELDS.map((field) => (
            <option key={field} value={field}>
              {FIELD_LABELS[field]}
            </option>
          ))}
        </select>
      </div>
      {row.field === 'attribute' && (
        <div className="stack">
          <Label htmlFor={`${id}-attribute`} context={context}>
            Attribute name
          </Label>
          <input
            id={`${id}-attribute`}
            value={row.attribute}
            placeholder="plan"
            onChange={(event) => onChange({ ...row, attribute: event.target.value })}
            {...errorProps}
          />
        </div>
      )}
      <div className="stack">
        <Label htmlFor={`${id}-operator`} context={context}>
          Operator
        </Label>
        <select
          id={`${id}-operator`}
          value={row.operator}
          onChange={(event) => onChange({ ...row, operator: event.target.value as OperatorId })}
          {...errorProps}
        >
          {OPERATORS.map((operator) => (
            <option key={operator.id} value={operator.id}>
              {operator.label}
            </option>
          ))}
        </select>
      </div>
      {!VALUELESS.has(row.operator) && (
        <div className="stack grow">
          <Label htmlFor={`${id}-value`} context={context}>
            {LIST_OPERATORS.has(row.operator) ? 'Values (comma-separated)' : 'Value'}
          </Label>
          <input
            id={`${id}-value`}
            value={row.value}
            onChange={(event) => onChange({ ...row, value: event.target.value })}
            {...errorProps}
          />
        </div>
      )}
      <button type="button" className="secondary small" onClick={onRemove}>
        Remove<span className="visually-hidden"> rule {r + 1}</span>
      </button>
      <FieldError id={id} />
    </li>
  );
}

/** Who sees the experiment: rows of attribute / operator / value, or the rule as raw JSON. */
export function TargetingBuilder({
  targeting,
  onChange,
}: {
  targeting: TargetingDraft;
  onChange: (targeting: TargetingDraft) => void;
}) {
  const { rows, combinator } = targeting.rows;
  const setRows = (next: TargetingRow[]) => onChange({ ...targeting, rows: { combinator, rows: next } });
  const jsonErrors = useErrorProps(ids.targeting);
  return (
    <fieldset
      className="targeting"
      id={targeting.mode === 'rows' ? ids.targeting : undefined}
      aria-describedby="targeting-hint"
    >
      <legend>Targeting</legend>
      <p className="hint" id="targeting-hint">
        Only visitors who match take part; the others see the page as it is.
      </p>
      {targeting.note && (
        <p role="status" className="notice">
          {targeting.note}
        </p>
      )}
      {targeting.mode === 'rows' ? (
        <>
          {rows.length > 1 && (
            <div className="stack inline">
              <label htmlFor="targeting-combinator">Visitors must match</label>
              <select
                id="targeting-combinator"
                value={combinator}
                onChange={(event) =>
                  onChange({ ...targeting, rows: { rows, combinator: event.target.value as Combinator } })
                }
              >
                <option value="all">all rules</option>
                <option value="any">any rule</option>
              </select>
            </div>
          )}
          {rows.length > 0 ? (
            <ol className="targeting-rows">
              {rows.map((row, r) => (
                <RowEditor
                  // Rows have no identity but their position; editing never reorders them.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  key={r}
                  row={row}
                  r={r}
                  onChange={(next) => setRows(rows.map((old, i) => (i === r ? next : old)))}
                  onRemove={() => setRows(rows.filter((_, i) => i !== r))}
                />
              ))}
            </ol>
          ) : (
            <p className="muted">No rule: every visitor can take part.</p>
          )}
          <FieldError id={ids.targeting} />
          <div className="buttons">
            <button type="button" className="secondary" onClick={() => setRows([...rows, emptyRow()])}>
              Add rule
            </button>
            <button type="button" className="secondary" onClick={() => onChange(toJsonMode(targeting))}>
              Edit as JSON
            </button>
          </div>
        </>
      ) : (
        <>
          <label htmlFor={ids.targeting}>Targeting rule (JSON)</label>
          <textarea
            id={ids.targeting}
            className="code"
            rows={6}
            spellCheck={false}
            placeholder='{"$and": [{"language": "de"}, {"attributes.plan": {"$in": ["pro"]}}]}'
            value={targeting.json}
            onChange={(event) => onChange({ ...targeting, json: event.target.value })}
            {...jsonErrors}
          />
          <FieldError id={ids.targeting} />
          <div className="buttons">
            <button type="button" className="secondary" onClick={() => onChange(toRowsMode(targeting))}>
              Edit as rows
            </button>
          </div>
        </>
      )}
    </fieldset>
  );
}
