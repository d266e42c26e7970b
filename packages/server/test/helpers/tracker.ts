import type { App } from '../../src/app.js';
import type {
  AssignBody,
  AssignResponse,
  ConvertBody,
  ConvertResponse,
} from '../../src/tracker/tracker-schemas.js';

export interface TrackerClient {
  assign(browserId: string, context?: AssignBody['context']): Promise<AssignResponse>;
  convert(browserId: string, extra?: Pick<ConvertBody, 'goal' | 'value'>): Promise<ConvertResponse>;
}

/** Calls the public tracker for one experiment and fails loudly on anything but 200. */
export function trackerFor(app: App, experimentId: string): TrackerClient {
  const post = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/tracker/${url}`, payload });
    if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  return {
    assign: (browser_id, context) =>
      post('assign', { experiment_id: experimentId, browser_id, ...(context ? { context } : {}) }),
    convert: (browser_id, extra = {}) =>
      post('convert', { experiment_id: experimentId, browser_id, ...extra }),
  };
}

/** Creates (and by default starts) an experiment as `headers`' user; returns its view. */
export async function launch(app: App, headers: Record<string, string>, payload: object, start = true) {
  const created = await app.inject({ method: 'POST', url: '/api/v1/experiments', headers, payload });
  if (created.statusCode !== 201) throw new Error(`create → ${created.statusCode} ${created.body}`);
  const exp = created.json();
  if (start) {
    const started = await app.inject({ method: 'POST', url: `/api/v1/experiments/${exp.id}/start`, headers });
    if (started.statusCode !== 200) throw new Error(`start → ${started.statusCode} ${started.body}`);
  }
  return exp as {
    id: string;
    combinations: { id: string; variant_ids: string[] }[];
    elements: { id: string; variants: { id: string }[] }[];
  };
}
