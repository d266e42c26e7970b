// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PreviewLinks } from '../../api/types.js';
import { PreviewLinksPanel } from './preview-links-panel.js';

const LINKS: PreviewLinks = {
  expires_in: 7 * 86_400,
  items: [
    {
      combination_id: 'c1',
      variant_ids: ['a'],
      label: 'Control',
      token: 't1',
      url: 'https://shop.example/?samplit_preview=t1',
    },
    {
      combination_id: 'c2',
      variant_ids: ['b'],
      label: 'Variant B',
      token: 't2',
      url: 'https://shop.example/?samplit_preview=t2',
    },
  ],
};

function show(url: string | null, links: PreviewLinks = LINKS) {
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string) => {
      asked.push(path);
      return Response.json(links);
    }),
  );
  render(
    <MemoryRouter>
      <PreviewLinksPanel experiment={{ id: 'e1', url }} />
    </MemoryRouter>,
  );
  return asked;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the preview links panel', () => {
  it('lists a link per combination, says what it does, and copies one', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const asked = show('https://shop.example/');
    expect(asked).toEqual(['/api/v1/experiments/e1/preview-links']);
    const field = (await screen.findByLabelText('Variant B')) as HTMLInputElement;
    expect(field.value).toBe('https://shop.example/?samplit_preview=t2');
    expect(screen.getByText(/does not enrol that person or count anything/)).toBeTruthy();
    expect(screen.getByText(/valid for 7 days/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Copy the preview link for Variant B' }));
    await screen.findByText('Copied the link for Variant B.');
    expect(writeText).toHaveBeenCalledWith('https://shop.example/?samplit_preview=t2');
  });

  it('selects the link for a manual copy when the clipboard is refused', async () => {
    vi.stubGlobal('navigator', {
      ...navigator,
      clipboard: { writeText: async () => Promise.reject(new Error('denied')) },
    });
    show('https://shop.example/');
    const field = (await screen.findByLabelText('Control')) as HTMLInputElement;
    fireEvent.click(screen.getByRole('button', { name: 'Copy the preview link for Control' }));
    await screen.findByText(/the link is selected, press Ctrl\+C/);
    expect(document.activeElement).toBe(field);
  });

  it('says a page URL is needed when the experiment has none', async () => {
    show(null, { ...LINKS, items: LINKS.items.map((item) => ({ ...item, url: null })) });
    await screen.findByText(/valid for 7 days/);
    expect(screen.getByText(/has no page URL/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Set its page URL' }).getAttribute('href')).toBe(
      '/experiments/e1/edit',
    );
    expect(screen.queryByRole('button', { name: /Copy/ })).toBeNull();
  });
});
