import { describe, expect, it, vi } from 'vitest';
import { Samplit } from './client.js';
import { FakeTracker, variant } from './fake-tracker.js';

// Server-side use: no DOM, no storage; assign and convert still work.
describe('Samplit in Node', () => {
  it('assigns and converts without a DOM', async () => {
    expect(typeof document).toBe('undefined');
    const tracker = new FakeTracker([variant('#headline', { text: 'B', payload: { price: 9 } })]);
    const samplit = new Samplit({
      apiBase: 'https://samplit.test',
      browserId: 'user-1',
      fetch: tracker.fetch,
    });
    const assignment = await samplit.run('exp-1');
    expect(assignment).toMatchObject({ eligible: true, browser_id: 'user-1' });
    expect(samplit.getPayload('exp-1')).toEqual({ price: 9 });
    expect(tracker.calls[0].body).toEqual({ experiment_id: 'exp-1', browser_id: 'user-1', context: {} });
    expect(await samplit.convert('exp-1', 'purchase', 9)).toBe('sent');
    expect(await samplit.convert('exp-1', 'purchase', 9)).toBe('duplicate');
  });

  it('passes a request context for targeting', async () => {
    const tracker = new FakeTracker([]);
    const samplit = new Samplit({ apiBase: 'https://samplit.test', browserId: 'u', fetch: tracker.fetch });
    await samplit.assign('exp-1', { url: 'https://shop.example/de', language: 'de' });
    expect(tracker.calls[0].body.context).toEqual({ url: 'https://shop.example/de', language: 'de' });
  });

  it('falls back to the control when the server is unreachable', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const samplit = new Samplit({ apiBase: 'http://127.0.0.1:9', browserId: 'u', timeout: 2000 });
    const assignment = await samplit.assign('exp-1');
    expect(assignment).toMatchObject({ eligible: false, reason: 'error', variants: [] });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
