// @vitest-environment happy-dom
import { exampleAnswers, trackerCases, withExperiment } from '@samplit/server/test/tracker-cases';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Samplit } from '../src/client.js';
import type { Assignment } from '../src/types.js';
import { resetWarning } from '../src/warn.js';

// The tracker's wire contract (packages/server/test/fixtures/tracker-cases.json, which the server's
// tests run against the real app) fed to the SDK's client: what it sends for each request, and
// what it makes of each answer the server gives.
const API = 'https://samplit.test';
const EXPERIMENT = '6f1d2c3e-0000-4000-8000-0000000000ca';
const PAGE = '<h1 id="headline">Original headline</h1><a id="cta" href="/signup">Sign up</a>';

/** A fetch that answers every call with `status` and `body`, and records what was sent. */
function answering(status: number, body: unknown) {
  const sent: { path: string; body: Record<string, unknown> }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    sent.push({ path: new URL(url).pathname, body: JSON.parse(String(init.body)) });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, sent };
}

const clients: Samplit[] = [];
const client = (browserId: string, fetch: ReturnType<typeof answering>['fetch']) => {
  const samplit = new Samplit({ apiBase: API, fetch, browserId, goals: false });
  clients.push(samplit);
  return samplit;
};

beforeEach(() => {
  document.body.innerHTML = PAGE;
  localStorage.clear();
  sessionStorage.clear();
  resetWarning();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  for (const samplit of clients.splice(0)) samplit.revert();
  vi.restoreAllMocks();
});

// Requests the SDK cannot produce (422: a field missing, mistyped or unknown) still give it an
// answer to handle; only the others are compared with what the SDK sends.
const sdkCanSend = (status: number) => status !== 422;
const browserIdOf = (request: Record<string, unknown>) =>
  typeof request.browser_id === 'string' ? request.browser_id : 'visitor-sdk';

describe('tracker wire contract (tracker-cases.json) in the SDK', () => {
  const assignCases = trackerCases.cases.filter((c) => c.endpoint === 'assign');
  const convertCases = trackerCases.cases.filter((c) => c.endpoint === 'convert');

  it.each(assignCases.map((c) => [c.name, c] as const))('assign: %s', async (_name, c) => {
    const request = withExperiment(c.request, EXPERIMENT);
    const experimentId = String(request.experiment_id);
    const browserId = browserIdOf(request);
    for (const answer of exampleAnswers(withExperiment(c.response, EXPERIMENT))) {
      document.body.innerHTML = PAGE;
      sessionStorage.clear();
      const tracker = answering(c.status, answer);
      const samplit = client(browserId, tracker.fetch);
      const context = request.context as Parameters<Samplit['assign']>[1];
      const assignment = await samplit.assign(experimentId, context);
      await samplit.run(experimentId);

      if (sdkCanSend(c.status)) {
        // Without a context to send, the SDK sends the page's own.
        const body = request.context
          ? request
          : { ...request, context: expect.objectContaining({ url: location.href }) };
        expect(tracker.sent[0]).toEqual({ path: '/api/v1/tracker/assign', body });
      }
      if (c.status !== 200) {
        // Any error answer: the original page and the SDK's own "error" assignment.
        expect(assignment).toEqual({
          experiment_id: experimentId,
          browser_id: browserId,
          eligible: false,
          reason: 'error',
          variants: [],
        });
        expect(document.body.innerHTML).toBe(PAGE);
        continue;
      }
      expect(assignment).toEqual(answer);
      for (const v of (answer as Assignment).variants) {
        const element = document.querySelector(v.selector ?? '') as HTMLElement;
        expect(element.textContent).toBe(v.content?.text);
        for (const [name, value] of Object.entries(v.content?.attributes ?? {})) {
          expect(element.getAttribute(name)).toBe(value);
        }
      }
      // Only an enrolment is kept for the session's later pages (a new client on the same visitor).
      const nextPage = client(browserId, answering(500, {}).fetch);
      expect(nextPage.getAssignment(experimentId)).toEqual(c.enrolled ? answer : undefined);
    }
  });

  it.each(convertCases.map((c) => [c.name, c] as const))('convert: %s', async (_name, c) => {
    const request = withExperiment(c.request, EXPERIMENT);
    const tracker = answering(c.status, exampleAnswers(withExperiment(c.response, EXPERIMENT))[0]);
    const samplit = client(browserIdOf(request), tracker.fetch);
    const result = await samplit.convert(
      String(request.experiment_id),
      request.goal as string,
      request.value as number | undefined,
    );
    if (sdkCanSend(c.status)) {
      expect(tracker.sent[0]).toEqual({ path: '/api/v1/tracker/convert', body: request });
    }
    // Delivered; refused for good (never retried); or throttled and kept to retry later.
    const expected = c.status === 200 ? 'sent' : c.status === 429 ? 'queued' : 'rejected';
    expect(result).toBe(expected);
  });
});
