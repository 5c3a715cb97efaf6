import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from '../../http/problem.js';
import { FRESH_AUTH_MINUTES, hasRole } from './access.js';
import { audit, type IdentityContext } from './context.js';
import { resolveSession, sessionCookieName } from './sessions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes a plugin registers that cannot carry config (Swagger UI's own pages). */
const PUBLIC_PREFIXES = ['/api/docs'];

/**
 * W-01: a state-changing request must come from an allowed origin. The Origin header is checked
 * when present; without it, Sec-Fetch-Site must not say cross-site. Non-browser clients send
 * neither and are left to the SameSite cookie and the route's own authentication.
 */
function checkSameOrigin(context: IdentityContext, request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== '') {
    if (!context.config.allowedOrigins.includes(origin)) {
      throw new HttpProblem(
        403,
        'Cross-site request refused',
        `Origin ${origin} is not allowed.`,
        undefined,
        'csrf',
      );
    }
    return;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpProblem(
      403,
      'Cross-site request refused',
      `Sec-Fetch-Site ${site} is not allowed.`,
      undefined,
      'csrf',
    );
  }
}

/**
 * The shared guard: deny by default (C-01), sessions checked against the database on every
 * request (S-12, C-09), roles (C-02), MFA enrolment, fresh re-authentication (S-09) and
 * CSRF (W-01). Later modules only declare `config.access` on their routes.
 */
export async function registerIdentityGuard(app: FastifyInstance, context: IdentityContext) {
  await app.register(fastifyCookie);
  app.decorateRequest('identity', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    if (route.config?.access === undefined) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (C-01)`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // no route matched: the 404 handler answers
    if (!SAFE_METHODS.has(request.method) && request.routeOptions.config.csrf !== false) {
      checkSameOrigin(context, request);
    }
    const token = request.cookies[sessionCookieName(context.config)];
    const now = context.clock();
    const resolved =
      token === undefined
        ? null
        : await resolveSession(context.repository, context.config, token, now);
    if (resolved !== null) {
      const { user, session } = resolved;
      request.identity = {
        session,
        user,
        mfaPending: user.mfa_enabled_at !== null && session.mfa_verified_at === null,
        mfaEnrolmentRequired:
          user.mfa_enabled_at === null && context.config.mfaRequiredRoles.includes(user.role),
      };
    }
    reply.header('Cache-Control', 'no-store');
    if (access === 'public') return;
    const identity = request.identity;
    if (access === 'mfa_challenge') {
      if (identity === null)
        throw new HttpProblem(
          401,
          'Sign in first',
          'This request needs a signed-in session.',
          undefined,
          'unauthenticated',
        );
      return;
    }
    if (identity === null || identity.mfaPending) {
      throw new HttpProblem(
        401,
        'Sign in first',
        'This request needs a signed-in session.',
        undefined,
        'unauthenticated',
      );
    }
    if (!hasRole(identity.user.role, access.role)) {
      await audit(context, request, {
        action: 'authz.denied',
        targetType: 'route',
        targetId: `${request.method} ${request.routeOptions.url ?? request.url}`.slice(0, 64),
        details: { role: identity.user.role, required: access.role },
      });
      throw new HttpProblem(
        403,
        'Access denied',
        `This needs the ${access.role} role or higher.`,
        undefined,
        'forbidden',
      );
    }
    if (identity.mfaEnrolmentRequired && access.duringMfaEnrolment !== true) {
      throw new HttpProblem(
        403,
        'Two-factor authentication required',
        'Your role requires two-factor authentication: set it up before using the app.',
        undefined,
        'mfa_enrolment_required',
      );
    }
    if (access.freshAuth === true) {
      const age = now.getTime() - Date.parse(identity.session.last_auth_at);
      if (age > FRESH_AUTH_MINUTES * 60_000) {
        throw new HttpProblem(
          403,
          'Confirm your password',
          `This action needs your password again (last checked more than ${String(FRESH_AUTH_MINUTES)} minutes ago).`,
          undefined,
          'reauth_required',
        );
      }
    }
  });
}
