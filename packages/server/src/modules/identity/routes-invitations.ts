import {
  acceptedMessageSchema,
  accessRequestCompleteSchema,
  accessRequestSchema,
  adminUserSchema,
  approveSchema,
  bounceReportSchema,
  INVITE_STATUSES,
  invitationSchema,
  inviteAcceptSchema,
  inviteCreateSchema,
  invitePreviewSchema,
  inviteResendSchema,
  pageOf,
  pageQuerySchema,
  rejectSchema,
  sessionStateSchema,
  templateInputSchema,
  templateSchema,
  tokenRequestSchema,
} from '@hub/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../http/params.js';
import { HttpProblem } from '../../http/problem.js';
import { limitAuthRequests } from './auth-service.js';
import { caller, type IdentityContext } from './context.js';
import { constantTimeEqual, hmacSha256Hex } from './crypto.js';
import { ACCESS_REQUEST_ACCEPTED, createInvitationsService } from './invitations-service.js';
import { setSessionCookie } from './sessions.js';
import { toCurrentUser } from './users.js';

const tags = ['identity'];
const AUTH_BODY_LIMIT = 100_000;
const SIGNATURE_HEADER = 'x-umbrella-signature';

const invitationListQuerySchema = pageQuerySchema.extend({
  // An empty filter (the web app's "any status") means no filter.
  status: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(INVITE_STATUSES).optional(),
  ),
});

/** PATCH: every field optional and none defaulted (is_active must not flip back to true). */
const templatePatchSchema = templateInputSchema.extend({ is_active: z.boolean() }).partial();

/** D1 / A-13: with SIGNUP_MODE=invite_only every request-access route refuses. */
function assertSignupOpen(context: IdentityContext): void {
  if (context.config.signupMode === 'invite_only') {
    throw new HttpProblem(
      403,
      'Sign-up is closed',
      'Accounts are created by invitation only. Ask an administrator to invite you.',
      undefined,
      'signup_closed',
    );
  }
}

/** `sha256=<hex HMAC-SHA256(raw body, BOUNCE_WEBHOOK_SECRET)>`, compared in constant time. */
function validSignature(
  secret: string | null,
  header: string | string[] | undefined,
  body: string,
): boolean {
  if (secret === null || typeof header !== 'string') return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  const given = match?.[1];
  if (given === undefined) return false;
  return constantTimeEqual(given.toLowerCase(), hmacSha256Hex(secret, body));
}

/**
 * Invitations (§3.1), templates (§3.2), request access (§3.3), approval (§3.4) and the bounce
 * webhook (US-INV-5, I-10).
 */
export function registerInvitationRoutes(root: FastifyInstance, context: IdentityContext): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const service = createInvitationsService(context);
  context.mailer.onDelivery((mail, result) => service.recordDelivery(mail, result));
  const actor = (request: FastifyRequest) => caller(request).user;

  // ------------------------------------------------------------------ invitee (public)

  app.post(
    '/api/identity/invitations/preview',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: { tags, body: tokenRequestSchema, response: { 200: invitePreviewSchema } },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      reply.header('Referrer-Policy', 'no-referrer');
      return service.previewInvite(request.body.token);
    },
  );

  app.post(
    '/api/identity/invitations/accept',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: { tags, body: inviteAcceptSchema, response: { 201: sessionStateSchema } },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      // I-05: only token, names and password are read; any other key was dropped by the schema.
      const { token, first_name, last_name, password } = request.body;
      const outcome = await service.acceptInvite(request, {
        token,
        first_name,
        last_name,
        password,
      });
      setSessionCookie(reply, context.config, outcome.token);
      reply.header('Referrer-Policy', 'no-referrer');
      return reply.code(201).send({
        state: 'signed_in' as const,
        user: toCurrentUser(outcome.user, context.config),
      });
    },
  );

  // ------------------------------------------------------------------ invitations (admin area)

  app.get(
    '/api/identity/admin/invitations',
    {
      config: { access: { role: 'manager' } },
      schema: {
        tags,
        querystring: invitationListQuerySchema,
        response: { 200: pageOf(invitationSchema) },
      },
    },
    (request) => service.listInvites(actor(request), request.query),
  );

  app.post(
    '/api/identity/admin/invitations',
    {
      config: { access: { role: 'manager' } },
      schema: { tags, body: inviteCreateSchema, response: { 201: invitationSchema } },
    },
    async (request, reply) => {
      const invitation = await service.createInvite(request, actor(request), request.body);
      return reply.code(201).send(invitation);
    },
  );

  app.post(
    '/api/identity/admin/invitations/:id/resend',
    {
      config: { access: { role: 'manager' } },
      schema: {
        tags,
        params: idParamsSchema,
        body: inviteResendSchema.optional(),
        response: { 200: invitationSchema },
      },
    },
    (request) =>
      service.resendInvite(request, actor(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/api/identity/admin/invitations/:id/revoke',
    {
      config: { access: { role: 'manager' } },
      schema: { tags, params: idParamsSchema, response: { 200: invitationSchema } },
    },
    (request) => service.revokeInvite(request, actor(request), request.params.id),
  );

  // ------------------------------------------------------------------ templates

  app.get(
    '/api/identity/admin/templates',
    {
      config: { access: { role: 'manager' } },
      schema: { tags, response: { 200: z.array(templateSchema) } },
    },
    (request) => service.listTemplates(actor(request)),
  );

  app.post(
    '/api/identity/admin/templates',
    {
      config: { access: { role: 'admin' } },
      schema: { tags, body: templateInputSchema, response: { 201: templateSchema } },
    },
    async (request, reply) => {
      const template = await service.createTemplate(request, actor(request), request.body);
      return reply.code(201).send(template);
    },
  );

  app.patch(
    '/api/identity/admin/templates/:id',
    {
      config: { access: { role: 'admin' } },
      schema: {
        tags,
        params: idParamsSchema,
        body: templatePatchSchema,
        response: { 200: templateSchema },
      },
    },
    (request) => service.updateTemplate(request, actor(request), request.params.id, request.body),
  );

  // ------------------------------------------------------------------ request access (public)

  app.post(
    '/api/identity/access-requests',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: { tags, body: accessRequestSchema, response: { 202: acceptedMessageSchema } },
    },
    async (request, reply) => {
      assertSignupOpen(context);
      service.requestAccess(request, request.body);
      return reply.code(202).send({ message: ACCESS_REQUEST_ACCEPTED });
    },
  );

  app.post(
    '/api/identity/access-requests/preview',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        tags,
        body: tokenRequestSchema,
        response: {
          200: z.object({ email: z.string(), first_name: z.string(), last_name: z.string() }),
        },
      },
    },
    async (request, reply) => {
      assertSignupOpen(context);
      await limitAuthRequests(context, request);
      reply.header('Referrer-Policy', 'no-referrer');
      return service.previewAccessRequest(request.body.token);
    },
  );

  app.post(
    '/api/identity/access-requests/complete',
    {
      config: { access: 'public' },
      bodyLimit: AUTH_BODY_LIMIT,
      schema: {
        tags,
        body: accessRequestCompleteSchema,
        response: { 201: acceptedMessageSchema },
      },
    },
    async (request, reply) => {
      assertSignupOpen(context);
      await limitAuthRequests(context, request);
      await service.completeAccessRequest(request, request.body);
      reply.header('Referrer-Policy', 'no-referrer');
      return reply.code(201).send({
        message:
          'Your account was created and now waits for approval. You will get an email once an administrator has decided.',
      });
    },
  );

  // ------------------------------------------------------------------ approval queue

  app.get(
    '/api/identity/admin/access-requests',
    {
      config: { access: { role: 'manager' } },
      schema: { tags, querystring: pageQuerySchema, response: { 200: pageOf(adminUserSchema) } },
    },
    (request) => service.listAccessRequests(request.query),
  );

  app.post(
    '/api/identity/admin/users/:id/approve',
    {
      config: { access: { role: 'manager' } },
      schema: {
        tags,
        params: idParamsSchema,
        body: approveSchema,
        response: { 200: adminUserSchema },
      },
    },
    (request) => service.approveUser(request, actor(request), request.params.id, request.body.role),
  );

  app.post(
    '/api/identity/admin/users/:id/reject',
    {
      config: { access: { role: 'manager' } },
      schema: {
        tags,
        params: idParamsSchema,
        body: rejectSchema,
        response: { 200: adminUserSchema },
      },
    },
    (request) => service.rejectUser(request, actor(request), request.params.id, request.body),
  );

  // ------------------------------------------------------------------ bounce webhook

  // The signature covers the raw body, so this scope keeps JSON bodies as text.
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: AUTH_BODY_LIMIT },
      (_request, body, parsed) => {
        parsed(null, body);
      },
    );
    scope.post(
      '/api/identity/mail/bounces',
      {
        config: { access: 'public', csrf: false },
        bodyLimit: AUTH_BODY_LIMIT,
        schema: { tags },
      },
      async (request, reply) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        // I-10: unsigned, wrongly signed, or no secret configured: refused, nothing changes.
        if (
          !validSignature(
            context.config.bounceWebhookSecret,
            request.headers[SIGNATURE_HEADER],
            raw,
          )
        ) {
          request.log.warn('bounce webhook call with a missing or invalid signature refused');
          throw new HttpProblem(
            401,
            'Invalid signature',
            `The ${SIGNATURE_HEADER} header is missing or does not match the body.`,
            undefined,
            'invalid_signature',
          );
        }
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw new HttpProblem(400, 'Invalid request', 'The body is not valid JSON.');
        }
        const report = bounceReportSchema.safeParse(json);
        if (!report.success) {
          throw new HttpProblem(
            400,
            'Invalid request',
            'The body must be {"message_id": string, "reason": string}.',
            report.error.issues.map((issue) => ({
              path: ['body', ...issue.path.map(String)].join('.'),
              message: issue.message,
            })),
          );
        }
        await service.recordBounce(request, report.data);
        return reply.code(204).send();
      },
    );
    done();
  });
}
