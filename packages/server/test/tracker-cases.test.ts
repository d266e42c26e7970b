import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IneligibleReason } from '../src/tracker/tracker-schemas.js';
import { answerMatcher, trackerCases, withExperiment } from './fixtures/tracker-cases.js';
import { createTestApp, signUp, type TestContext } from './helpers/test-app.js';
import { launch } from './helpers/tracker.js';

// The tracker's wire contract (fixtures/tracker-cases.json) against the real app and database;
// packages/sdk/test/tracker-cases.test.ts runs the same cases against the SDK's client.
const { apps, experiments, cases } = trackerCases;
const contexts = new Map<string, TestContext>();
const ids = new Map<string, string>();

beforeAll(async () => {
  for (const [name, overrides] of Object.entries(apps)) {
    // No per-IP limit: every case comes from the one test address; the limited app sets its own.
    const ctx = await createTestApp({ trackerRateLimitPerIp: 0, ...overrides });
    contexts.set(name, ctx);
    const { headers } = await signUp(ctx.app);
    for (const [key, definition] of Object.entries(experiments)) {
      if ((definition.app ?? 'default') !== name) continue;
      const exp = await launch(ctx.app, headers, definition.create, false);
      for (const action of definition.lifecycle) {
        const body =
          action === 'complete' && definition.winner
            ? { winner_combination_id: winnerOf(exp, definition.winner) }
            : undefined;
        const res = await ctx.app.inject({
          method: 'POST',
          url: `/api/v1/experiments/${exp.id}/${action}`,
          headers,
          ...(body ? { payload: body } : {}),
        });
        if (res.statusCode !== 200) throw new Error(`${key} ${action} → ${res.statusCode} ${res.body}`);
      }
      ids.set(key, exp.id);
    }
  }
});
afterAll(async () => {
  for (const ctx of contexts.values()) await ctx.close();
});

/** The combination of an ab_test that shows the variant named `name`. */
function winnerOf(
  exp: Awaited<ReturnType<typeof launch>> & { variants?: { id: string; name: string }[] },
  name: string,
) {
  const variant = exp.variants?.find((v) => v.name === name);
  const combination = exp.combinations.find((c) => variant && c.variant_ids.includes(variant.id));
  if (!combination) throw new Error(`no combination shows ${name}`);
  return combination.id;
}

describe('tracker wire contract (tracker-cases.json) on the server', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const definition = c.experiment ? experiments[c.experiment] : undefined;
    const { app } = contexts.get(definition?.app ?? 'default')!;
    const experimentId = c.experiment ? ids.get(c.experiment)! : '';
    const post = (endpoint: string, body: unknown) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/tracker/${endpoint}`,
        payload: withExperiment(body, experimentId) as object,
      });

    for (const step of c.before ?? []) await post(step.endpoint, step.body);
    const res = await post(c.endpoint, c.request);
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: c.status,
      body: answerMatcher(withExperiment(c.response, experimentId)),
    });
    if (c.enrolled !== undefined) {
      // What enrolment means on the server: the visitor's conversion counts.
      const converted = await post('convert', { ...c.request, context: undefined, goal: 'enrolment-check' });
      expect(converted.json()).toEqual({ counted: c.enrolled });
    }
  });

  it('covers every reason the schema gives for not enrolling, and both convert outcomes', () => {
    const answers = cases.filter((c) => c.status === 200).map((c) => c.response as Record<string, unknown>);
    expect(new Set(answers.map((a) => a.reason).filter(Boolean))).toEqual(new Set(IneligibleReason.enum));
    expect(new Set(answers.map((a) => a.counted).filter((v) => v !== undefined))).toEqual(
      new Set([true, false]),
    );
  });
});
