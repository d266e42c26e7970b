/**
 * A small client of the Samplit REST API for test and demo set-up: sign up a user, create and
 * start experiments, and call the tracker directly.
 */
import { randomUUID } from 'node:crypto';

export interface CreatedExperiment {
  id: string;
  variants?: Array<{ id: string; name: string; is_control: boolean }>;
}

export class SamplitApi {
  constructor(
    readonly base: string,
    private readonly token?: string,
  ) {}

  /** Registers a fresh user and logs in. */
  static async signUp(base: string): Promise<SamplitApi> {
    const anonymous = new SamplitApi(base);
    const credentials = {
      email: `sdk-e2e-${randomUUID()}@example.com`,
      password: 'correct horse battery staple',
    };
    await anonymous.post('/api/v1/auth/register', credentials);
    const { access_token } = await anonymous.post<{ access_token: string }>(
      '/api/v1/auth/token',
      credentials,
    );
    return new SamplitApi(base, access_token);
  }

  post<T = unknown>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>('POST', path, body, headers);
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.send<T>('GET', path, undefined);
  }

  patch<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PATCH', path, body);
  }

  /** The response body as text, for non-JSON answers (export.csv). */
  async text(path: string): Promise<string> {
    const res = await fetch(this.base.replace(/\/+$/, '') + path, {
      headers: this.token ? { authorization: 'Bearer ' + this.token } : {},
    });
    if (!res.ok) throw new Error(`GET ${path} → ${res.status}: ${await res.text()}`);
    return res.text();
  }

  private async send<T>(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await fetch(this.base.replace(/\/+$/, '') + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: 'Bearer ' + this.token } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Creates an experiment and starts it. */
  async startExperiment(body: Record<string, unknown>): Promise<CreatedExperiment> {
    const experiment = await this.post<CreatedExperiment>('/api/v1/experiments', body);
    await this.post(`/api/v1/experiments/${experiment.id}/start`, undefined);
    return experiment;
  }

  assign(experimentId: string, browserId: string) {
    return this.post<{ eligible: boolean; variants: Array<{ variant_name: string; is_control: boolean }> }>(
      '/api/v1/tracker/assign',
      { experiment_id: experimentId, browser_id: browserId },
    );
  }

  convert(experimentId: string, browserId: string, goal: string) {
    return this.post<{ counted: boolean }>('/api/v1/tracker/convert', {
      experiment_id: experimentId,
      browser_id: browserId,
      goal,
    });
  }

  /** A visitor id the server has assigned to the variant named `variantName` (tries fresh ids). */
  async visitorIn(experimentId: string, variantName: string): Promise<string> {
    for (let i = 0; i < 64; i++) {
      const id = 'e2e-' + randomUUID();
      const answer = await this.assign(experimentId, id);
      if (answer.eligible && answer.variants[0]?.variant_name === variantName) return id;
    }
    throw new Error(`no visitor landed in ${variantName} after 64 tries`);
  }
}

export const ORIGINAL_HEADLINE = 'Grow faster with Samplit';
export const VARIANT_HEADLINE = 'Ship the winning idea sooner';

export const CUSTOM_JS_TEXT = 'Changed by custom JavaScript';
const CUSTOM_JS = `(function () {
  var run = function () { document.getElementById('js-target').textContent = '${CUSTOM_JS_TEXT}'; };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run); else run();
})();`;

/** The demo site's experiments: an A/B headline (+ CTA colour), a split-URL page, custom JavaScript. */
export async function createDemoExperiments(api: SamplitApi, demoUrl: string) {
  const headline = await api.startExperiment({
    name: 'Demo: homepage headline',
    type: 'ab_test',
    traffic_allocation: 'fixed',
    selector: '#headline',
    goals: ['signup', 'outbound', 'signup-page'],
    variants: [
      { name: 'Control', content: { text: ORIGINAL_HEADLINE } },
      {
        name: 'B',
        content: { text: VARIANT_HEADLINE, css: '#cta { background: #15803d !important; }' },
      },
    ],
  });
  const split = await api.startExperiment({
    name: 'Demo: pricing page (split URL)',
    type: 'ab_test',
    traffic_allocation: 'fixed',
    variants: [{ name: 'Control' }, { name: 'Yearly', content: { redirect_url: demoUrl + '/split-b.html' } }],
  });
  const customJs = await api.startExperiment({
    name: 'Demo: custom JavaScript',
    type: 'ab_test',
    traffic_allocation: 'fixed',
    selector: '#js-target',
    allow_custom_js: true,
    variants: [{ name: 'Control' }, { name: 'Scripted', content: { js: CUSTOM_JS } }],
  });
  return { headlineExperiment: headline.id, splitExperiment: split.id, customJsExperiment: customJs.id };
}
