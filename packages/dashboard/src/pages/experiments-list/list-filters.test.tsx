// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ListFilters } from './list-filters.js';
import type { ListQuery } from './list-query.js';

const initial: ListQuery = { status: null, q: '', archived: false, offset: 0 };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('ListFilters', () => {
  it('sends the search once typing pauses, trimmed, and not again for the same text', () => {
    const onChange = vi.fn();
    render(<ListFilters query={initial} onChange={onChange} />);
    const input = screen.getByLabelText('Search by name');
    fireEvent.change(input, { target: { value: 'che' } });
    act(() => vi.advanceTimersByTime(100));
    fireEvent.change(input, { target: { value: 'checkout ' } });
    act(() => vi.advanceTimersByTime(299));
    expect(onChange).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1));
    expect(onChange).toHaveBeenCalledExactlyOnceWith({ q: 'checkout' });
    fireEvent.change(input, { target: { value: 'checkout' } });
    act(() => vi.advanceTimersByTime(1000));
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('sends the search at once on Enter', () => {
    const onChange = vi.fn();
    render(<ListFilters query={initial} onChange={onChange} />);
    const input = screen.getByLabelText('Search by name');
    fireEvent.change(input, { target: { value: 'hero' } });
    fireEvent.submit(input.closest('form')!);
    expect(onChange).toHaveBeenCalledExactlyOnceWith({ q: 'hero' });
  });

  it('shows a query changed elsewhere (Back, Clear filters) without sending it back', () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <ListFilters query={{ ...initial, q: 'old', status: 'running', archived: true }} onChange={onChange} />,
    );
    rerender(<ListFilters query={initial} onChange={onChange} />);
    expect((screen.getByLabelText('Search by name') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('');
    expect((screen.getByLabelText('Archived only') as HTMLInputElement).checked).toBe(false);
    act(() => vi.advanceTimersByTime(1000));
    expect(onChange).not.toHaveBeenCalled();
  });

  it('shows a status or archived choice at once, before the query catches up', () => {
    const onChange = vi.fn();
    render(<ListFilters query={initial} onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'paused' } });
    expect(onChange).toHaveBeenCalledWith({ status: 'paused' });
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('paused');
    fireEvent.click(screen.getByLabelText('Archived only'));
    expect(onChange).toHaveBeenCalledWith({ archived: true });
    expect((screen.getByLabelText('Archived only') as HTMLInputElement).checked).toBe(true);
  });
});
