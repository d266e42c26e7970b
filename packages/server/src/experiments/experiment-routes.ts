import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParams } from '../shared/schemas.js';
import {
  CompleteBody,
  CreateExperimentBody,
  ExperimentPage,
  ListQuery,
  PreviewLinks,
  UpdateExperimentBody,
} from './experiment-schemas.js';
import type { ExperimentService } from './experiment-service.js';
import type { LifecycleAction } from './lifecycle.js';
import type { PreviewLinkService } from './preview-link-service.js';

const experimentRef = Type.Unsafe<Record<string, unknown>>({ $ref: 'Experiment#' });

/** Registered in the signed-in scope (auth/signed-in.ts): `request.userId` is the caller. */
export const experimentRoutes: FastifyPluginAsyncTypebox<{
  experiments: ExperimentService;
  previewLinks: PreviewLinkService;
}> = async (app, { experiments, previewLinks }) => {
  const common = { tags: ['experiments'], security: [{ bearerAuth: [] }] };

  app.post(
    '/experiments',
    {
      schema: {
        ...common,
        summary: 'Create an experiment with its elements and variants',
        body: CreateExperimentBody,
        response: { 201: experimentRef, ...errorResponses(401, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await experiments.create(request.userId, request.body)),
  );

  app.get(
    '/experiments',
    {
      schema: {
        ...common,
        summary: 'Your experiments, newest first',
        querystring: ListQuery,
        response: { 200: ExperimentPage, ...errorResponses(401, 422) },
      },
    },
    async (request) => experiments.list(request.userId, request.query),
  );

  app.get(
    '/experiments/:id',
    {
      schema: {
        ...common,
        summary: 'One experiment, with live statistics (`stats`)',
        params: IdParams,
        response: { 200: experimentRef, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => experiments.get(request.userId, request.params.id),
  );

  app.get(
    '/experiments/:id/preview-links',
    {
      schema: {
        ...common,
        summary: 'A link per combination that shows it on the live site, enrolling and counting no one',
        params: IdParams,
        response: { 200: PreviewLinks, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => previewLinks.list(request.userId, request.params.id),
  );

  app.patch(
    '/experiments/:id',
    {
      schema: {
        ...common,
        summary: 'Change settings (any time) or structure (drafts only)',
        params: IdParams,
        body: UpdateExperimentBody,
        response: { 200: experimentRef, ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request) => experiments.update(request.userId, request.params.id, request.body),
  );

  app.delete(
    '/experiments/:id',
    {
      schema: {
        ...common,
        summary: 'Delete an experiment and all its data, irreversibly (archive is the reversible way)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await experiments.remove(request.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  for (const action of ['start', 'pause', 'resume'] as LifecycleAction[]) {
    app.post(
      `/experiments/:id/${action}`,
      {
        schema: {
          ...common,
          summary: `Lifecycle: ${action}`,
          params: IdParams,
          response: { 200: experimentRef, ...errorResponses(401, 404, 409, 422) },
        },
      },
      async (request) => experiments.transition(request.userId, request.params.id, action),
    );
  }

  for (const [action, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    app.post(
      `/experiments/:id/${action}`,
      {
        schema: {
          ...common,
          summary: archived
            ? 'Archive: hide from the list and stop enrolling (the tracker shows the control); data kept'
            : 'Restore an archived experiment',
          params: IdParams,
          response: { 200: experimentRef, ...errorResponses(401, 404, 409, 422) },
        },
      },
      async (request) => experiments.setArchived(request.userId, request.params.id, archived),
    );
  }

  app.post(
    '/experiments/:id/complete',
    {
      schema: {
        ...common,
        summary: 'Lifecycle: complete, optionally naming the winning combination',
        params: IdParams,
        body: CompleteBody,
        response: { 200: experimentRef, ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request) =>
      experiments.transition(
        request.userId,
        request.params.id,
        'complete',
        request.body?.winner_combination_id,
      ),
  );
};
