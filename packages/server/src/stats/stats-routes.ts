import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, IdParams } from '../shared/schemas.js';
import { Timeseries, TimeseriesQuery } from './stats-schemas.js';
import type { StatsService } from './stats-service.js';

/** Reporting beyond GET /experiments/{id}: time series for charts and the raw CSV export. */
/** Registered in the signed-in scope (auth/signed-in.ts): `request.userId` is the caller. */
export const statsRoutes: FastifyPluginAsyncTypebox<{ stats: StatsService }> = async (app, { stats }) => {
  const common = { tags: ['experiments'], security: [{ bearerAuth: [] }] };

  app.get(
    '/experiments/:id/timeseries',
    {
      schema: {
        ...common,
        summary: 'Visitors, conversions and traffic weights per combination per time bucket (UTC)',
        params: IdParams,
        querystring: TimeseriesQuery,
        response: { 200: Timeseries, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => stats.timeseries(request.userId, request.params.id, request.query),
  );

  app.get(
    '/experiments/:id/export.csv',
    {
      schema: {
        ...common,
        summary: 'One CSV row per assignment: visitor, combination, variant per element, converted per goal',
        description:
          'Streamed in pages, so a million rows take no more server memory than a thousand. Columns: ' +
          'visitor_id, combination_id, combination, one per element (variant name), assigned_at, ' +
          'probability (of the assigned combination when assigned), converted_<goal> (0/1) per goal.',
        produces: ['text/csv'],
        params: IdParams,
        response: errorResponses(401, 404, 422),
      },
    },
    async (request, reply) => {
      const { filename, stream } = await stats.exportCsv(request.userId, request.params.id);
      stream.on('error', (error) => request.log.error({ err: error }, 'CSV export failed mid-stream'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(stream as unknown as Record<string, unknown>); // a stream: the typed schemas are the errors'
    },
  );
};
