import {
  acceptedMessageSchema,
  adminUserSchema,
  auditEventSchema,
  deleteUserSchema,
  LOGIN_FAILURE_REASONS,
  loginAttemptSchema,
  outboxMessageSchema,
  pageOf,
  pageQuerySchema,
  roleChangeSchema,
  roleSchema,
  savedWorkSummarySchema,
  sessionInfoSchema,
  tokenRequestSchema,
  USER_STATUSES,
} from '@hub/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.js';
import { idParamsSchema, integerIdSchema } from '../../http/params.js';
import { adminRepository, type LoginAttemptFilters } from './admin-repository.js';
import {
  changeRole,
  deactivateUser,
  deleteUser,
  downloadExport,
  listUsers,
  loginAttemptsCsv,
  parseDetails,
  reactivateUser,
  resetMfa,
  revokeSession,
  revokeUserSessions,
  savedWork,
  sendAdminResetLink,
  sendUserExport,
  suspiciousActivity,
  toLoginAttempt,
  unlockUser,
} from './admin-service.js';
import { limitAuthRequests } from './auth-service.js';
import { caller, type IdentityContext } from './context.js';
import { mailRepository } from './mail-repository.js';
import { toSessionInfo } from './routes-account.js';

const tags = ['identity-admin'];
const ADMIN = '/api/identity/admin';
/** The CSV export answers every matching row up to this bound (§3.9 keeps 12 months). */
const CSV_MAX_ROWS = 50_000;

const admin = { access: { role: 'admin' } } as const;
const managerRead = { access: { role: 'manager' } } as const;

const usersQuerySchema = pageQuerySchema.extend({
  search: z.string().max(200).optional(),
  status: z.enum(USER_STATUSES).optional(),
  role: roleSchema.optional(),
});

/** A day (YYYY-MM-DD, UTC) or an ISO-8601 instant with a zone. */
const dateBoundSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const loginAttemptsQueryShape = {
  email: z.string().max(254).optional(),
  ip: z.string().max(45).optional(),
  success: z.enum(['true', 'false']).optional(),
  reason: z.enum(LOGIN_FAILURE_REASONS).optional(),
  from: dateBoundSchema.optional(),
  to: dateBoundSchema.optional(),
};
const loginAttemptsQuerySchema = pageQuerySchema.extend(loginAttemptsQueryShape);
const loginAttemptsCsvQuerySchema = z.object(loginAttemptsQueryShape);

const sessionsQuerySchema = pageQuerySchema.extend({ user_id: integerIdSchema.optional() });
const auditQuerySchema = pageQuerySchema.extend({ action: z.string().max(64).optional() });
const outboxQuerySchema = pageQuerySchema;

/** C-05: the role endpoint takes the role and nothing else (no is_superuser, no flags). */
const roleChangeBodySchema = roleChangeSchema.strict();
const deleteBodySchema = deleteUserSchema.strict();

const adminSessionSchema = sessionInfoSchema.extend({
  user_id: z.number().int(),
  user_email: z.string(),
});
const suspiciousSchema = z.object({
  ips: z.array(
    z.object({ ip: z.string().nullable(), emails: z.number().int(), failures: z.number().int() }),
  ),
  accounts: z.array(z.object({ email: z.string(), failures: z.number().int() })),
});

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** from: inclusive (a day starts at 00:00 UTC); to: inclusive (a day runs to its end). */
function attemptFilters(query: z.infer<typeof loginAttemptsCsvQuerySchema>): LoginAttemptFilters {
  const from =
    query.from === undefined
      ? undefined
      : new Date(isDay(query.from) ? `${query.from}T00:00:00.000Z` : query.from).toISOString();
  const before =
    query.to === undefined
      ? undefined
      : new Date(
          isDay(query.to)
            ? Date.parse(`${query.to}T00:00:00.000Z`) + 86_400_000
            : Date.parse(query.to) + 1,
        ).toISOString();
  if (from !== undefined && before !== undefined && from >= before) {
    throw new HttpProblem(400, 'Invalid request', 'query.to: must not be before from', [
      { path: 'query.to', message: 'must not be before from' },
    ]);
  }
  return {
    email: query.email?.trim(),
    ip: query.ip?.trim(),
    success: query.success === undefined ? undefined : query.success === 'true',
    reason: query.reason,
    from,
    before,
  };
}

const userParams = { params: idParamsSchema };

/**
 * The admin area (§3.9, §3.10, US-SES-4, US-ADM-1..5) and the export download. Every route is
 * admin-only except the user directory, which managers read (D13); the guard answers 401/403.
 * Invitations, templates and the approval queue live in routes-invitations.ts.
 */
export function registerAdminRoutes(root: FastifyInstance, context: IdentityContext): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  // ------------------------------------------------------------ users (US-ADM-1..5)

  app.get(
    `${ADMIN}/users`,
    {
      config: managerRead,
      schema: { tags, querystring: usersQuerySchema, response: { 200: pageOf(adminUserSchema) } },
    },
    async (request) => {
      const { page, page_size, search, status, role } = request.query;
      return listUsers(context, { search, status, role }, page, page_size);
    },
  );

  app.patch(
    `${ADMIN}/users/:id/role`,
    {
      config: admin,
      schema: {
        tags,
        ...userParams,
        body: roleChangeBodySchema,
        response: { 200: adminUserSchema },
      },
    },
    (request) => changeRole(context, request, request.params.id, request.body.role),
  );

  const userActions = [
    ['deactivate', deactivateUser],
    ['reactivate', reactivateUser],
    ['unlock', unlockUser],
    ['mfa-reset', resetMfa],
  ] as const;
  for (const [action, run] of userActions) {
    app.post(
      `${ADMIN}/users/:id/${action}`,
      { config: admin, schema: { tags, ...userParams, response: { 200: adminUserSchema } } },
      (request) => run(context, request, request.params.id),
    );
  }

  app.post(
    `${ADMIN}/users/:id/reset-link`,
    { config: admin, schema: { tags, ...userParams, response: { 202: acceptedMessageSchema } } },
    async (request, reply) => {
      await sendAdminResetLink(context, request, request.params.id);
      return reply
        .code(202)
        .send({ message: 'A link to choose a new password was emailed to the user.' });
    },
  );

  app.post(
    `${ADMIN}/users/:id/revoke-sessions`,
    { config: admin, schema: { tags, ...userParams } },
    async (request, reply) => {
      await revokeUserSessions(context, request, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    `${ADMIN}/users/:id/export`,
    { config: admin, schema: { tags, ...userParams, response: { 202: acceptedMessageSchema } } },
    async (request, reply) => {
      await sendUserExport(context, request, request.params.id);
      return reply
        .code(202)
        .send({ message: 'A one-time download link for the export was emailed to the user.' });
    },
  );

  app.get(
    `${ADMIN}/users/:id/saved-work`,
    { config: admin, schema: { tags, ...userParams, response: { 200: savedWorkSummarySchema } } },
    (request) => savedWork(context, request.params.id),
  );

  app.delete(
    `${ADMIN}/users/:id`,
    {
      config: { access: { role: 'admin', freshAuth: true } },
      schema: { tags, ...userParams, body: deleteBodySchema },
    },
    async (request, reply) => {
      await deleteUser(context, request, request.params.id, request.body.confirm_email);
      return reply.code(204).send();
    },
  );

  // ------------------------------------------------------------ sessions (US-SES-4)

  app.get(
    `${ADMIN}/sessions`,
    {
      config: admin,
      schema: {
        tags,
        querystring: sessionsQuerySchema,
        response: { 200: pageOf(adminSessionSchema) },
      },
    },
    async (request) => {
      const { page, page_size, user_id } = request.query;
      const current = caller(request).session.id;
      const result = await adminRepository(context.db).activeSessions(
        user_id,
        context.clock().toISOString(),
        (page - 1) * page_size,
        page_size,
      );
      return {
        items: result.items.map((row) => ({
          ...toSessionInfo(row, current),
          user_id: row.user_id,
          user_email: row.user_email,
        })),
        total: result.total,
        page,
        page_size,
      };
    },
  );

  app.delete(
    `${ADMIN}/sessions/:id`,
    { config: admin, schema: { tags, params: idParamsSchema } },
    async (request, reply) => {
      await revokeSession(context, request, request.params.id);
      return reply.code(204).send();
    },
  );

  // ------------------------------------------------------------ login audit (§3.9)

  app.get(
    `${ADMIN}/login-attempts`,
    {
      config: admin,
      schema: {
        tags,
        querystring: loginAttemptsQuerySchema,
        response: { 200: pageOf(loginAttemptSchema) },
      },
    },
    async (request) => {
      const { page, page_size } = request.query;
      const result = await adminRepository(context.db).loginAttempts(
        attemptFilters(request.query),
        (page - 1) * page_size,
        page_size,
      );
      return { items: result.items.map(toLoginAttempt), total: result.total, page, page_size };
    },
  );

  app.get(
    `${ADMIN}/login-attempts.csv`,
    { config: admin, schema: { tags, querystring: loginAttemptsCsvQuerySchema } },
    async (request, reply) => {
      const result = await adminRepository(context.db).loginAttempts(
        attemptFilters(request.query),
        0,
        CSV_MAX_ROWS,
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="login-attempts.csv"')
        .send(loginAttemptsCsv(result.items));
    },
  );

  app.get(
    `${ADMIN}/suspicious`,
    { config: admin, schema: { tags, response: { 200: suspiciousSchema } } },
    () => suspiciousActivity(context),
  );

  // ------------------------------------------------------------ audit events and outbox

  app.get(
    `${ADMIN}/audit-events`,
    {
      config: admin,
      schema: { tags, querystring: auditQuerySchema, response: { 200: pageOf(auditEventSchema) } },
    },
    async (request) => {
      const { page, page_size, action } = request.query;
      const result = await adminRepository(context.db).auditEvents(
        action?.trim(),
        (page - 1) * page_size,
        page_size,
      );
      return {
        items: result.items.map((row) => ({ ...row, details: parseDetails(row.details) })),
        total: result.total,
        page,
        page_size,
      };
    },
  );

  app.get(
    `${ADMIN}/outbox`,
    {
      config: admin,
      schema: {
        tags,
        querystring: outboxQuerySchema,
        response: { 200: pageOf(outboxMessageSchema) },
      },
    },
    async (request) => {
      const { page, page_size } = request.query;
      const result = await mailRepository(context.db).page((page - 1) * page_size, page_size);
      return { ...result, page, page_size };
    },
  );

  // ------------------------------------------------------------ the user's export (public)

  app.post(
    '/api/identity/exports/download',
    {
      config: { access: 'public' },
      bodyLimit: 100_000,
      schema: { tags, body: tokenRequestSchema },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      const archive = await downloadExport(context, request.body.token);
      return reply
        .type('application/json; charset=utf-8')
        .header('Content-Disposition', 'attachment; filename="umbrella-hub-export.json"')
        .header('Referrer-Policy', 'no-referrer')
        .send(archive);
    },
  );
}
