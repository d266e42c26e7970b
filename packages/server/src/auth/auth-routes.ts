import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../shared/schemas.js';
import { RegisterBody, TokenBody, TokenResponse, User } from './auth-schemas.js';
import type { AuthService } from './auth-service.js';

export interface AuthRouteOptions {
  auth: AuthService;
  /** Token requests per client IP per minute. */
  tokenPerMinute: number;
  /** Sign-ups per client IP per hour. */
  registerPerHour: number;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (
  app,
  { auth, tokenPerMinute, registerPerHour },
) => {
  app.post(
    '/auth/register',
    {
      config: { rateLimit: { max: registerPerHour, timeWindow: '1 hour' } },
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        body: RegisterBody,
        response: { 201: User, ...errorResponses(409, 422, 429) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await auth.register(request.body.email, request.body.password)),
  );

  app.post(
    '/auth/token',
    {
      config: { rateLimit: { max: tokenPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Get an access token (JSON {email, password} or OAuth2 password form)',
        consumes: ['application/json', 'application/x-www-form-urlencoded'],
        body: TokenBody,
        response: { 200: TokenResponse, ...errorResponses(401, 422, 429) },
      },
    },
    async (request) => {
      const email = request.body.email ?? request.body.username;
      if (!email) {
        throw new AppError('AUTH_TOKEN_002', undefined, [
          { field: 'body.email', message: 'give email (JSON) or username (form)' },
        ]);
      }
      return auth.login(email, request.body.password);
    },
  );
};

/** The signed-in part of auth, registered in the signed-in scope (auth/signed-in.ts). */
export const accountRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The current user',
        security: [{ bearerAuth: [] }],
        response: { 200: User, ...errorResponses(401) },
      },
    },
    async (request) => auth.me(request.userId),
  );
};
