import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { createExperimentService } from './experiment-service.js';
import { createFakeExperimentStore } from './fake-experiment-store.js';

const OWNER = '11111111-1111-4111-8111-111111111111';
const STRANGER = '22222222-2222-4222-8222-222222222222';

function setup() {
  const fake = createFakeExperimentStore();
  return { fake, service: createExperimentService(fake.runAs, { maxCombinations: 16 }) };
}

const ab = {
  name: 'CTA',
  type: 'ab_test' as const,
  variants: [{ name: 'A' }, { name: 'B' }],
};

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

describe('experiment service', () => {
  it('validates before opening a transaction', async () => {
    const { fake, service } = setup();
    await expectCode(service.create(OWNER, { ...ab, variants: [{ name: 'A' }] }), 'EXP_CREATE_001');
    expect(fake.transactions()).toBe(0);
  });

  it('counts combinations against the configured limit', async () => {
    const { service } = setup();
    const five = [1, 2, 3, 4, 5].map((i) => ({ name: `v${i}` }));
    await expectCode(
      service.create(OWNER, {
        name: 'big',
        type: 'multi_element',
        elements: [
          { name: 'a', variants: five },
          { name: 'b', variants: five },
        ],
      }),
      'EXP_CREATE_001',
    );
    const ok = await service.create(OWNER, {
      name: 'fits',
      type: 'multi_element',
      elements: [
        { name: 'a', variants: five.slice(0, 4) },
        { name: 'b', variants: five.slice(0, 4) },
      ],
    });
    expect(ok.combinations).toHaveLength(16);
  });

  it('hides other users’ experiments as not found', async () => {
    const { service } = setup();
    const exp = await service.create(OWNER, ab);
    await expectCode(service.get(STRANGER, exp.id), 'EXP_FIND_001');
    await expectCode(service.transition(STRANGER, exp.id, 'start'), 'EXP_FIND_001');
    await expectCode(service.remove(STRANGER, exp.id), 'EXP_FIND_001');
  });

  it('refuses structure edits outside draft but accepts settings', async () => {
    const { service } = setup();
    const exp = await service.create(OWNER, ab);
    await service.transition(OWNER, exp.id, 'start');
    await expectCode(
      service.update(OWNER, exp.id, { variants: [{ name: 'X' }, { name: 'Y' }] }),
      'EXP_EDIT_001',
    );
    const updated = await service.update(OWNER, exp.id, { traffic_percentage: 10 });
    expect(updated.traffic_percentage).toBe(10);
  });

  it('refuses to switch custom JS off while a variant still uses it', async () => {
    const { service } = setup();
    const exp = await service.create(OWNER, {
      ...ab,
      allow_custom_js: true,
      variants: [{ name: 'A' }, { name: 'B', content: { js: 'run()' } }],
    });
    await expectCode(service.update(OWNER, exp.id, { allow_custom_js: false }), 'EXP_EDIT_002');
  });

  it('explains an invalid transition', async () => {
    const { service } = setup();
    const exp = await service.create(OWNER, ab);
    const error = await service.transition(OWNER, exp.id, 'resume').catch((e: AppError) => e);
    expect(error).toMatchObject({ code: 'EXP_STATE_001', statusCode: 409 });
    expect((error as AppError).message).toContain('draft');
  });
});
