import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { IdentityConfig } from '../../config.js';
import type { HubTables } from '../../db/tables.js';
import type { SecretBox } from './crypto.js';
import type { Mailer } from './mail.js';
import { hibpBreachCheck, type BreachCheck } from './passwords.js';
import {
  identityRepository,
  type IdentityRepository,
  type SessionRow,
  type UserRow,
} from './repository.js';

/** What identity's services share: settings, clock, database, mail and the secret box. */
export interface IdentityContext {
  readonly config: IdentityConfig;
  readonly clock: () => Date;
  readonly db: Kysely<HubTables>;
  readonly repository: IdentityRepository;
  readonly mailer: Mailer;
  readonly box: SecretBox;
  readonly breachCheck: BreachCheck | null;
  readonly log: FastifyBaseLogger;
  /** Work finished after the answer (equal timing for known and unknown emails, A-12). */
  readonly background: BackgroundTasks;
}

export interface BackgroundTasks {
  run(work: () => Promise<void>): void;
  /** Resolves when background work and mail handed over so far are done (tests, shutdown). */
  idle(): Promise<void>;
}

export function createIdentityContext(
  parts: Omit<IdentityContext, 'repository' | 'breachCheck' | 'background'>,
): IdentityContext {
  const pending = new Set<Promise<void>>();
  const background: BackgroundTasks = {
    run(work) {
      const task = work().catch((error: unknown) => {
        parts.log.error({ err: error }, 'identity background task failed');
      });
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
      await parts.mailer.idle();
    },
  };
  return {
    ...parts,
    background,
    repository: identityRepository(parts.db),
    breachCheck:
      parts.config.breachedPasswordApiUrl === null
        ? null
        : hibpBreachCheck(parts.config.breachedPasswordApiUrl),
  };
}

/** The signed-in caller of a request, resolved from the session cookie. */
export interface RequestIdentity {
  readonly session: SessionRow;
  readonly user: UserRow;
  /** A TOTP code is still due for this session. */
  readonly mfaPending: boolean;
  /** The user's role requires MFA (MFA_REQUIRED_ROLES) and they have not enrolled. */
  readonly mfaEnrolmentRequired: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: RequestIdentity | null;
  }
}

/** Write an audit event (§3.9); never lets an audit failure pass silently. */
export async function audit(
  context: IdentityContext,
  request: FastifyRequest | null,
  event: {
    action: string;
    targetType: string;
    targetId?: string | number | null;
    actorId?: number | null;
    details?: unknown;
  },
  repository: IdentityRepository = context.repository,
): Promise<void> {
  await repository.insertAuditEvent({
    at: context.clock().toISOString(),
    actor_id: event.actorId !== undefined ? event.actorId : (request?.identity?.user.id ?? null),
    action: event.action,
    target_type: event.targetType,
    target_id:
      event.targetId === undefined || event.targetId === null ? null : String(event.targetId),
    ip: request?.ip ?? null,
    details: JSON.stringify(event.details ?? {}),
  });
}

/** The signed-in user of a route that requires one (the guard has already checked). */
export function caller(request: FastifyRequest): RequestIdentity {
  if (request.identity === null) throw new Error('route without a signed-in caller');
  return request.identity;
}
