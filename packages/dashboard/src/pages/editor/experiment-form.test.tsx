// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client.js';
import { fixtureExperiment } from '../experiment/experiment-fixture.js';
import {
  createBody,
  type Draft,
  draftFromExperiment,
  emptyDraft,
  plannedVisitorsValue,
  updateBody,
} from './experiment-draft.js';
import { ExperimentForm, PLANNED_VISITORS_HINT } from './experiment-form.js';

afterEach(cleanup);

/** The form as the new-experiment page wires it; `send` stands in for the network. */
function renderForm(
  options: { send?: (body: unknown) => Promise<void>; initial?: Draft; locked?: boolean } = {},
) {
  const sent: unknown[] = [];
  const send = vi.fn(
    options.send ??
      (async (body: unknown) => {
        sent.push(body);
      }),
  );
  render(
    <MemoryRouter>
      <ExperimentForm<unknown>
        title="New experiment"
        initial={options.initial ?? emptyDraft()}
        types={['ab', 'split', 'multi']}
        structureEditable={!options.locked}
        lockedReason="This experiment is running: only its settings can change."
        submitLabel="Create experiment"
        cancelTo="/"
        build={options.locked ? (d) => updateBody(d, false) : createBody}
        send={send}
      />
    </MemoryRouter>,
  );
  return { sent, send };
}

const type = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
const click = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
const submit = () => click('Create experiment');

describe('the content editor', () => {
  it('puts every field of the variant content in the request', async () => {
    const { sent } = renderForm();
    type('Name', 'Hero copy');
    type('CSS selector', '#hero h1');
    fireEvent.click(screen.getByLabelText('Allow custom JavaScript in variants'));
    click('Edit content of Variant 2');
    type('Variant 2 Text', 'Try it free');
    type('Variant 2 HTML', '<b>Try</b> it free');
    click('Add attribute to Variant 2');
    type('Variant 2 attribute 1 Attribute', 'data-x');
    type('Variant 2 attribute 1 Value', '1');
    click('Add style to Variant 2');
    type('Variant 2 style 1 CSS property', 'color');
    type('Variant 2 style 1 Value', 'red');
    type('Variant 2 CSS', '.banner { display: none }');
    type('Variant 2 Redirect URL', 'https://example.com/b');
    fireEvent.click(screen.getByLabelText('Variant 2 Hide the element'));
    type('Variant 2 Payload (JSON)', '{"headline": "Free", "n": [1, 2]}');
    type('Variant 2 Custom JavaScript', 'console.log(1)');
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      name: 'Hero copy',
      type: 'ab_test',
      selector: '#hero h1',
      allow_custom_js: true,
      traffic_allocation: 'adaptive',
      goals: [{ key: 'conversion', kind: 'conversion', direction: 'higher', role: 'primary' }],
      targeting: null,
      variants: [
        { name: 'Control', is_control: true, content: {} },
        {
          name: 'Variant B',
          content: {
            text: 'Try it free',
            html: '<b>Try</b> it free',
            attributes: { 'data-x': '1' },
            styles: { color: 'red' },
            css: '.banner { display: none }',
            redirect_url: 'https://example.com/b',
            hide: true,
            payload: { headline: 'Free', n: [1, 2] },
            js: 'console.log(1)',
          },
        },
      ],
    });
  });

  it('offers custom JavaScript only when the experiment allows it', () => {
    renderForm();
    click('Edit content of Variant 1');
    expect(screen.queryByLabelText('Variant 1 Custom JavaScript')).toBeNull();
    fireEvent.click(screen.getByLabelText('Allow custom JavaScript in variants'));
    expect(screen.getByLabelText('Variant 1 Custom JavaScript')).toBeTruthy();
  });

  it('blocks a payload that is not JSON, with the message next to it', async () => {
    const { send } = renderForm();
    type('Name', 'x');
    click('Edit content of Variant 2');
    type('Variant 2 Payload (JSON)', '{"a": 1,}');
    submit();
    const payload = screen.getByLabelText('Variant 2 Payload (JSON)');
    expect(payload.getAttribute('aria-invalid')).toBe('true');
    const message = document.getElementById(payload.getAttribute('aria-describedby')!.split(' ')[0])!;
    expect(message.textContent).toMatch(/not valid JSON/);
    expect(send).not.toHaveBeenCalled();
    const alert = screen.getByRole('alert');
    expect(document.activeElement).toBe(alert);
    expect(alert.textContent).toMatch(/nothing was sent/);
  });
});

describe('planned visitors', () => {
  it('is an optional labelled number field with its hint, sent as null when empty', async () => {
    const { sent } = renderForm();
    const field = screen.getByLabelText('Planned visitors') as HTMLInputElement;
    expect(field.type).toBe('number');
    expect([field.min, field.step, field.value]).toEqual(['100', '1', '']);
    expect(document.getElementById(field.getAttribute('aria-describedby')!)!.textContent).toBe(
      PLANNED_VISITORS_HINT,
    );
    expect(PLANNED_VISITORS_HINT).toBe(
      'Optional: with a horizon the test is most powerful at that size; without one it can be stopped any time.',
    );
    type('Name', 'No horizon');
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { planned_visitors: unknown }).planned_visitors).toBeNull();
  });

  it('sends a whole number from 100 as planned_visitors', async () => {
    const { sent } = renderForm();
    type('Name', 'With a horizon');
    type('Planned visitors', '20000');
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ planned_visitors: 20_000 });
  });

  it('refuses fewer than 100 or a fraction, with the message next to the field, and sends nothing', () => {
    for (const text of ['99', '150.5', '-200']) {
      cleanup();
      const { send } = renderForm();
      type('Name', 'x');
      type('Planned visitors', text);
      submit();
      const field = screen.getByLabelText('Planned visitors');
      expect(field.getAttribute('aria-invalid')).toBe('true');
      expect(document.getElementById('exp-planned-visitors-error')!.textContent).toBe(
        'Give a whole number of visitors from 100, or leave it empty for no horizon.',
      );
      expect(screen.getByRole('alert').textContent).toContain('Planned visitors');
      expect(send).not.toHaveBeenCalled();
    }
  });

  it('reads the bounds exactly: 100 and 2,000,000,000 pass, one either side does not', () => {
    const problems = new Map<string, string[]>();
    expect(plannedVisitorsValue('100', problems)).toBe(100);
    expect(plannedVisitorsValue(' 2000000000 ', problems)).toBe(2_000_000_000);
    expect(plannedVisitorsValue('', problems)).toBeNull();
    expect(problems.size).toBe(0);
    expect(plannedVisitorsValue('2000000001', problems)).toBeNull();
    expect(plannedVisitorsValue('1e5', problems)).toBeNull();
    expect(problems.get('exp-planned-visitors')).toHaveLength(2);
  });

  it('shows an experiment’s horizon when editing, and sends it back', () => {
    const experiment = {
      ...fixtureExperiment(
        [{ name: 'Button', variants: ['Control', 'Green'] }],
        [
          [0, 0],
          [0, 0],
        ],
        { plannedVisitors: 5000 },
      ),
    };
    const draft = draftFromExperiment(experiment);
    expect(draft.plannedVisitors).toBe('5000');
    const built = updateBody(draft, false);
    expect(built.ok && built.body.planned_visitors).toBe(5000);
    expect(draftFromExperiment({ ...experiment, planned_visitors: null }).plannedVisitors).toBe('');
  });
});

describe('the API’s 422', () => {
  it('shows each message next to the control its field names, the rest in a focused summary', async () => {
    renderForm({
      send: async () => {
        throw new ApiError(422, 'REQUEST_VALIDATION_001', 'The request is invalid.', [
          { field: 'body.variants.1.content.redirect_url', message: 'must match format "uri"' },
          { field: 'body.variants.0.name', message: 'is used twice' },
          { field: 'body.targeting.$and.0.language.$where', message: 'operator $where is not allowed' },
          { field: 'body', message: 'something about the whole body' },
        ]);
      },
    });
    type('Name', 'x');
    click('Add rule');
    type('Rule 1 Value', 'pricing');
    submit();
    const alert = await screen.findByRole('alert');
    // Focus moves in an effect after the render that shows the summary.
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(alert.textContent).toContain('The request is invalid.');
    expect(alert.textContent).toContain('something about the whole body');
    // The panel holding a message opens by itself.
    const redirect = screen.getByLabelText('Variant 2 Redirect URL');
    expect(redirect.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('variant-0-1-redirect_url-error')!.textContent).toBe(
      'must match format "uri"',
    );
    expect(screen.getByLabelText('Variant 1 Name').getAttribute('aria-describedby')).toBe(
      'variant-0-0-name-error',
    );
    expect(document.getElementById('variant-0-0-name-error')!.textContent).toBe('is used twice');
    expect(screen.getByLabelText('Rule 1 Value').getAttribute('aria-describedby')).toBe(
      'targeting-row-0-error',
    );
    expect(document.getElementById('targeting-row-0-error')!.textContent).toBe(
      'operator $where is not allowed',
    );
  });
});

describe('the structure', () => {
  it('counts combinations live as elements and variants come and go', () => {
    renderForm();
    expect(screen.getByText('2 variants')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Multi-element test'));
    expect(screen.getByText('2 × 2 = 4 combinations (limit 256)')).toBeTruthy();
    click('Add variant to element 1');
    click('Add variant to element 2');
    expect(screen.getByText('3 × 3 = 9 combinations (limit 256)')).toBeTruthy();
    click('Add element');
    expect(screen.getByText('3 × 3 × 2 = 18 combinations (limit 256)')).toBeTruthy();
    click('Remove element 3');
    click('Remove Element 2, variant 1');
    expect(screen.getByText('3 × 2 = 6 combinations (limit 256)')).toBeTruthy();
  });

  it('sends a multi-element grid with the chosen controls and fixed weights', async () => {
    const { sent } = renderForm();
    type('Name', 'Grid');
    fireEvent.click(screen.getByLabelText('Multi-element test'));
    fireEvent.click(screen.getByLabelText('Fixed weights'));
    type('Element 1 Name', 'CTA');
    type('Element 1 CSS selector', '.cta');
    type('Element 2 Name', 'Copy');
    type('Element 1, variant 2 Weight', '3');
    fireEvent.click(screen.getByLabelText('Element 2, variant 2 Control'));
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      type: 'multi_element',
      traffic_allocation: 'fixed',
      elements: [
        {
          name: 'CTA',
          selector: '.cta',
          variants: [
            { name: 'Control', weight: 1, is_control: true },
            { name: 'Variant B', weight: 3 },
          ],
        },
        {
          name: 'Copy',
          selector: null,
          variants: [{ name: 'Control' }, { name: 'Variant B', is_control: true }],
        },
      ],
    });
    expect((sent[0] as { elements: { variants: object[] }[] }).elements[1].variants[0]).not.toHaveProperty(
      'is_control',
    );
  });

  it('asks a split URL test for a URL per variant; the control keeps the page', async () => {
    const { sent, send } = renderForm();
    type('Name', 'Landing');
    fireEvent.click(screen.getByLabelText('Split URL test'));
    expect(screen.queryByLabelText('CSS selector')).toBeNull();
    expect(screen.queryByLabelText('Variant 1 Redirect URL')).toBeNull();
    submit();
    expect(send).not.toHaveBeenCalled();
    expect(document.getElementById('variant-0-1-redirect_url-error')!.textContent).toMatch(/URL/);
    type('Variant 2 Redirect URL', 'https://example.com/b');
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({
      type: 'ab_test',
      selector: null,
      variants: [{ content: {} }, { content: { redirect_url: 'https://example.com/b' } }],
    });
  });

  it('once started, shows the structure read-only and sends the settings only', async () => {
    const { sent } = renderForm({ locked: true, initial: { ...emptyDraft(), name: 'Running one' } });
    expect(screen.getByText('This experiment is running: only its settings can change.')).toBeTruthy();
    // A disabled fieldset disables every control inside it (checked in Chromium by the e2e test).
    for (const label of ['Variant 1 Name', 'CSS selector', 'A/B test']) {
      const fieldset = screen.getByLabelText(label).closest('fieldset') as HTMLFieldSetElement;
      expect(fieldset.disabled).toBe(true);
    }
    expect(screen.queryByRole('button', { name: /Edit content|Add variant|Remove Variant/ })).toBeNull();
    type('Traffic percentage', '50');
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(Object.keys(sent[0] as object).sort()).toEqual([
      'allow_custom_js',
      'description',
      'goals',
      'name',
      'planned_visitors',
      'targeting',
      'traffic_allocation',
      'traffic_percentage',
      'url',
    ]);
    expect(sent[0]).toMatchObject({ name: 'Running one', traffic_percentage: 50, planned_visitors: null });
  });
});

describe('the targeting builder', () => {
  it('writes rows as the condition and round-trips through raw JSON', async () => {
    const { sent } = renderForm();
    type('Name', 'Targeted');
    click('Add rule');
    type('Rule 1 Attribute', 'language');
    type('Rule 1 Operator', 'in');
    type('Rule 1 Values (comma-separated)', 'de, fr');
    click('Add rule');
    type('Rule 2 Attribute', 'attribute');
    type('Rule 2 Attribute name', 'plan');
    type('Rule 2 Operator', 'exists');
    type('Visitors must match', 'any');
    click('Edit as JSON');
    const text = screen.getByLabelText('Targeting rule (JSON)') as HTMLTextAreaElement;
    const expected = { $or: [{ language: { $in: ['de', 'fr'] } }, { 'attributes.plan': { $exists: true } }] };
    expect(JSON.parse(text.value)).toEqual(expected);
    click('Edit as rows');
    expect((screen.getByLabelText('Rule 2 Attribute name') as HTMLInputElement).value).toBe('plan');
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { targeting: unknown }).targeting).toEqual(expected);
  });

  it('keeps JSON the rows cannot say as JSON, says why, and sends it as written', async () => {
    const { sent } = renderForm();
    type('Name', 'Raw');
    click('Edit as JSON');
    const rule = { $nor: [{ language: 'de' }] };
    type('Targeting rule (JSON)', JSON.stringify(rule));
    click('Edit as rows');
    expect(screen.getByRole('status').textContent).toMatch(/cannot be shown as rows.*\$nor/);
    expect(screen.getByLabelText('Targeting rule (JSON)')).toBeTruthy();
    type('Targeting rule (JSON)', '{"language": ');
    click('Edit as rows');
    expect(screen.getByRole('status').textContent).toMatch(/Not valid JSON/);
    submit();
    expect(document.getElementById('exp-targeting-error')!.textContent).toMatch(/Not valid JSON/);
    type('Targeting rule (JSON)', JSON.stringify(rule));
    submit();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { targeting: unknown }).targeting).toEqual(rule);
  });
});
