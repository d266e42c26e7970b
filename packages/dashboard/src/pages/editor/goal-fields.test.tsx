// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client.js';
import { createBody, type Draft, emptyDraft } from './experiment-draft.js';
import { ExperimentForm } from './experiment-form.js';

afterEach(cleanup);

/** The new-experiment form with its name filled in; `send` stands in for the network. */
function renderForm(send: (body: unknown) => Promise<void>, initial: Draft = emptyDraft()) {
  render(
    <MemoryRouter>
      <ExperimentForm<unknown>
        title="New experiment"
        initial={{ ...initial, name: 'Checkout' }}
        types={['ab', 'split', 'multi']}
        structureEditable
        submitLabel="Create experiment"
        cancelTo="/"
        build={createBody}
        send={send}
      />
    </MemoryRouter>,
  );
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement | HTMLSelectElement;
const set = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });
const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('the goal rows', () => {
  it('start with one primary conversion goal; a new goal is a secondary conversion goal, higher is better', () => {
    renderForm(async () => {});
    expect(field('Goal 1 Key').value).toBe('conversion');
    expect(field('Goal 1 Role').value).toBe('primary');
    click('Add goal');
    expect([field('Goal 2 Kind').value, field('Goal 2 Direction').value, field('Goal 2 Role').value]).toEqual(
      ['conversion', 'higher', 'secondary'],
    );
  });

  it('keep exactly one primary: choosing primary on a row makes the previous primary secondary', () => {
    renderForm(async () => {});
    click('Add goal');
    click('Add goal');
    set('Goal 3 Role', 'primary');
    expect(['Goal 1 Role', 'Goal 2 Role', 'Goal 3 Role'].map((l) => field(l).value)).toEqual([
      'secondary',
      'secondary',
      'primary',
    ]);
    // Removing the primary hands the role to the first remaining goal.
    click('Remove goal 3');
    expect(field('Goal 1 Role').value).toBe('primary');
  });

  it('show the threshold only for a guardrail, 2% by default, and send it as a fraction', async () => {
    const sent: unknown[] = [];
    renderForm(async (body) => {
      sent.push(body);
    });
    click('Add goal');
    expect(screen.queryByLabelText('Goal 2 Threshold (%)')).toBeNull();
    set('Goal 2 Key', 'refunds');
    set('Goal 2 Kind', 'revenue');
    set('Goal 2 Direction', 'lower');
    set('Goal 2 Role', 'guardrail');
    expect(field('Goal 2 Threshold (%)').value).toBe('2');
    expect(screen.queryByLabelText('Goal 1 Threshold (%)')).toBeNull();
    set('Goal 2 Threshold (%)', '5');
    click('Create experiment');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0] as { goals: unknown }).goals).toEqual([
      { key: 'conversion', kind: 'conversion', direction: 'higher', role: 'primary' },
      { key: 'refunds', kind: 'revenue', direction: 'lower', role: 'guardrail', threshold: 0.05 },
    ]);
    set('Goal 2 Role', 'secondary');
    expect(screen.queryByLabelText('Goal 2 Threshold (%)')).toBeNull();
  });

  it('refuse to send goals without a primary, saying so under the goals', () => {
    const send = vi.fn(async () => {});
    renderForm(send);
    set('Goal 1 Role', 'secondary');
    click('Create experiment');
    expect(send).not.toHaveBeenCalled();
    expect(document.getElementById('exp-goals-error')?.textContent).toMatch(/Make one goal primary/);
  });

  it('put the API’s messages under the goal control their field names', async () => {
    renderForm(async () => {
      throw new ApiError(422, 'REQUEST_VALIDATION_001', 'The request is invalid.', [
        { field: 'body.goals.1', message: 'goal "signup" is already goal 1' },
        { field: 'body.goals.2.role', message: 'only one goal can be primary' },
        { field: 'body.goals.2.threshold', message: 'must be <= 10' },
        { field: 'body.goals.1.kind', message: 'must be one of conversion, revenue, count' },
      ]);
    });
    click('Add goal');
    click('Add goal');
    set('Goal 3 Role', 'guardrail');
    click('Create experiment');
    const alert = await screen.findByRole('alert');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    const expectations: [string, string][] = [
      ['Goal 2 Key', 'goal "signup" is already goal 1'],
      ['Goal 3 Role', 'only one goal can be primary'],
      ['Goal 3 Threshold (%)', 'must be <= 10'],
      ['Goal 2 Kind', 'must be one of conversion, revenue, count'],
    ];
    for (const [label, message] of expectations) {
      const control = field(label);
      expect(control.getAttribute('aria-invalid')).toBe('true');
      const describedBy = control.getAttribute('aria-describedby')!.split(' ');
      const texts = describedBy.map((id) => document.getElementById(id)?.textContent);
      expect(texts).toContain(message);
    }
    // The summary links each control by its name.
    expect(alert.textContent).toContain('Goal 3 threshold: must be <= 10');
  });

  it('fill from the definitions of an experiment being edited', () => {
    renderForm(async () => {}, {
      ...emptyDraft(),
      goals: [
        { key: 'a', name: 'purchase', kind: 'revenue', direction: 'higher', role: 'primary', threshold: '2' },
        { key: 'b', name: 'refunds', kind: 'count', direction: 'lower', role: 'guardrail', threshold: '7' },
      ],
    });
    expect(field('Goal 1 Kind').value).toBe('revenue');
    expect(field('Goal 2 Direction').value).toBe('lower');
    expect(field('Goal 2 Threshold (%)').value).toBe('7');
  });
});
