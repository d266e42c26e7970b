import type { FetchLike } from './transport.js';
import type { AssignedVariant, Assignment } from './types.js';

/** A request the fake tracker received. */
export interface FakeCall {
  path: string;
  body: Record<string, unknown>;
  keepalive: boolean;
  contentType: string;
}

/**
 * An in-memory stand-in for the tracker endpoints, for unit tests: answers assign with the given
 * variants and preview with `previewVariants` (for the experiment its token's `sub` names, as
 * the server would after verifying it), counts the first conversion per visitor and goal, and can
 * fail or stall on demand.
 */
export class FakeTracker {
  calls: FakeCall[] = [];
  /** HTTP status to answer with instead of the normal answer; 0 = network error. */
  failWith: number | null = null;
  /** Milliseconds to wait before answering. */
  delay = 0;
  variants: AssignedVariant[];
  /** What a preview shows (default: the same variants as assign). */
  previewVariants: AssignedVariant[] | undefined;
  eligible = true;
  private counted = new Set<string>();

  constructor(variants: AssignedVariant[]) {
    this.variants = variants;
  }

  calledPaths(): string[] {
    return this.calls.map((c) => c.path);
  }

  readonly fetch: FetchLike = async (url, init) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    const path = new URL(url).pathname;
    const headers = init.headers as Record<string, string>;
    this.calls.push({ path, body, keepalive: !!init.keepalive, contentType: headers['content-type'] });
    if (this.delay) await new Promise((resolve) => setTimeout(resolve, this.delay));
    if (this.failWith === 0) throw new TypeError('Failed to fetch');
    if (this.failWith) return json(this.failWith, { error: { code: 'X', message: 'boom', details: [] } });
    if (path.endsWith('/preview')) {
      const claims = JSON.parse(Buffer.from(String(body.token).split('.')[1], 'base64url').toString());
      const answer: Assignment = {
        experiment_id: claims.sub,
        browser_id: 'preview',
        eligible: false,
        reason: 'preview',
        combination_id: claims.cmb,
        variants: this.previewVariants ?? this.variants,
      };
      return json(200, answer);
    }
    if (path.endsWith('/assign')) {
      const answer: Assignment = {
        experiment_id: String(body.experiment_id),
        browser_id: String(body.browser_id),
        eligible: this.eligible,
        combination_id: 'c1',
        new_assignment: true,
        variants: this.variants,
      };
      return json(200, answer);
    }
    const key = body.browser_id + '|' + body.experiment_id + '|' + body.goal;
    const counted = !this.counted.has(key);
    this.counted.add(key);
    return json(200, { counted });
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** An ab_test variant on `selector` with the given content. */
export function variant(selector: string | null, content: AssignedVariant['content']): AssignedVariant {
  return {
    element_id: 'e1',
    element_name: 'Hero',
    selector,
    variant_id: 'v2',
    variant_name: 'B',
    is_control: false,
    content,
  };
}

/**
 * A token shaped like a preview link's (header.payload.signature, base64url) for `experimentId`,
 * with a payload whose base64url uses both '-' and '_' (the SDK must read it as base64url). The
 * signature is not a real one: the SDK never verifies, the server does.
 */
export function fakePreviewToken(experimentId: string, combinationId = 'c2'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    part({ alg: 'HS256', typ: 'JWT' }),
    part({ sub: experimentId, cmb: combinationId, aud: 'preview', pad: '>>>???' }),
    'c2lnbmF0dXJl',
  ].join('.');
}
