import {
  ROLES,
  type AdminUser,
  type Invitation,
  type InvitePreview,
  type InviteStatus,
  type InviteTemplate,
  type Role,
} from '@hub/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.js';
import { invalidToken, passwordProblems, RESET_TOKEN_MINUTES } from './auth-service.js';
import { audit, type IdentityContext } from './context.js';
import { randomToken, sha256Hex } from './crypto.js';
import {
  invitationsRepository,
  type InviteRow,
  type InviteTemplateRow,
  type InviteWithInviter,
} from './invitations-repository.js';
import type { DeliveryResult, OutgoingMail } from './mail.js';
import { hashPassword, isUsablePasswordHash } from './passwords.js';
import type { IdentityRepository, NewUser, UserRow } from './repository.js';
import { normalizeEmail } from './service.js';
import { startSession } from './sessions.js';
import {
  renderTemplate,
  unknownPlaceholders,
  usesPlaceholder,
  type TemplateValues,
} from './templates.js';
import { emailKey, LIMITS, lockedUntil, withinLimit } from './throttle.js';
import { displayName, toAdminUser, userStatus } from './users.js';

export const APP_NAME = 'Umbrella Hub';
/** §3.1: 48 CSPRNG bytes, base64url: 64 characters, like secrets.token_urlsafe(48). */
export const INVITE_TOKEN_BYTES = 48;
export const DEFAULT_INVITE_DAYS = 7;
/** §3.3: the request-access verification link: 32 random bytes, valid 24 h. */
export const SIGNUP_TOKEN_BYTES = 32;
export const SIGNUP_TOKEN_HOURS = 24;
/** US-INV-5: the stored SMTP diagnostic is cut to this length. */
export const BOUNCE_REASON_MAX = 1000;

const DAY_MS = 86_400_000;
const MANAGER_GRANTS: readonly Role[] = ['viewer', 'analyst'];
/** A pending user's role column is NOT NULL: 'viewer' is a placeholder until approval (§3.3). */
const PENDING_ROLE_PLACEHOLDER: Role = 'viewer';

/** The answer to a request for access, whatever happened (§3.3 anti-enumeration). */
export const ACCESS_REQUEST_ACCEPTED =
  'If the address can be used, you will receive an email with the next step.';

/** D13: the roles a user of `role` may invite, approve and reject at. */
export function grantableRoles(role: Role): readonly Role[] {
  if (role === 'admin') return ROLES;
  if (role === 'manager') return MANAGER_GRANTS;
  return [];
}

export function canGrant(actor: Role, target: Role): boolean {
  return grantableRoles(actor).includes(target);
}

/** US-INV-6: used > revoked > bounced > expired > pending. */
export function inviteStatus(invite: InviteRow, now: string): InviteStatus {
  if (invite.used_at !== null) return 'used';
  if (invite.revoked_at !== null) return 'revoked';
  if (invite.email_bounced) return 'bounced';
  if (invite.expires_at <= now) return 'expired';
  return 'pending';
}

/** The API view of an invite: never the token, which exists only in the email (I-01). */
export function toInvitation(invite: InviteWithInviter, now: string): Invitation {
  return {
    id: invite.id,
    email: invite.email,
    invite_type: invite.invite_type,
    status: inviteStatus(invite, now),
    custom_message: invite.custom_message,
    created_by: invite.created_by_email,
    created_at: invite.created_at,
    expires_at: invite.expires_at,
    used_at: invite.used_at,
    email_sent_at: invite.email_sent_at,
    email_bounced: Boolean(invite.email_bounced),
    bounce_reason: invite.bounce_reason,
    revoked_at: invite.revoked_at,
    resend_count: invite.resend_count,
    template_id: invite.template_id,
  };
}

export function toTemplate(template: InviteTemplateRow): InviteTemplate {
  return {
    id: template.id,
    name: template.name,
    invite_type: template.invite_type,
    subject: template.subject,
    message_template: template.message_template,
    is_active: Boolean(template.is_active),
    created_at: template.created_at,
    updated_at: template.updated_at,
  };
}

/** The built-in invitation email, used when no template is chosen. */
const DEFAULT_INVITE_TEMPLATE = {
  subject: '{{ inviter_name }} invited you to {{ app_name }}',
  body: [
    'Hello,',
    '',
    '{{ inviter_name }} ({{ inviter_email }}) invited you to {{ app_name }} as {{ role }}.',
    '',
    'To create your account, open this link and choose your password:',
    '{{ invite_link }}',
    '',
    'The invitation is for {{ invitee_email }} and expires on {{ expires_at }}.',
    'If you did not expect it, you can ignore this email.',
  ].join('\n'),
};

/** "2026-11-28 09:30 UTC" */
function readableTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function forbidden(detail: string): HttpProblem {
  return new HttpProblem(403, 'Access denied', detail, undefined, 'forbidden');
}

function accountExists(): HttpProblem {
  return new HttpProblem(
    409,
    'Account exists',
    'An account already exists for this email address: sign in instead.',
    undefined,
    'account_exists',
  );
}

function notFound(what: string, id: number): HttpProblem {
  return new HttpProblem(404, `${what} not found`, `There is no ${what.toLowerCase()} ${id}.`);
}

function tooMany(detail: string, retryAfterSeconds: number): HttpProblem {
  return new HttpProblem(429, 'Too many requests', detail, undefined, 'rate_limited', {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
}

/** A concurrent insert hit lower(email)'s unique index (PostgreSQL 23505, SQLite's code). */
function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const signupPayloadSchema = z.object({ first_name: z.string(), last_name: z.string() });

/** Identity's invitation, template, request-access and approval workflows (§3.1–3.4). */
export function createInvitationsService(context: IdentityContext) {
  const { config, repository } = context;
  const invites = invitationsRepository(context.db);
  const nowIso = () => context.clock().toISOString();

  /** US-INV-4 "inviter still entitled": active, approved and still allowed to grant the role. */
  function inviterEntitled(inviter: UserRow | undefined, role: Role): inviter is UserRow {
    return (
      inviter !== undefined && userStatus(inviter) === 'approved' && canGrant(inviter.role, role)
    );
  }

  /** D13: an admin manages every invite; a manager only their own, at viewer or analyst. */
  function assertMayManage(actor: UserRow, invite: InviteRow): void {
    if (actor.role === 'admin') return;
    if (invite.created_by_id !== actor.id || !canGrant(actor.role, invite.invite_type)) {
      throw forbidden('Managers can resend and revoke only their own viewer and analyst invites.');
    }
  }

  /** §3.6: 50 invites per inviter per (sliding) day. */
  async function assertInviteQuota(actor: UserRow, now: Date): Promise<void> {
    const limit = LIMITS.invitesPerInviter;
    const since = new Date(now.getTime() - limit.windowMs).toISOString();
    if ((await invites.countInvitesCreatedSince(actor.id, since)) >= limit.max) {
      throw tooMany(
        `You can send at most ${limit.max} invitations a day; try again later.`,
        limit.windowMs / 1000,
      );
    }
  }

  async function inviteTemplateFor(
    actor: UserRow,
    templateId: number | undefined,
    role: Role,
  ): Promise<number | null> {
    if (templateId === undefined) return null;
    const template = await invites.findTemplateById(templateId);
    const usable =
      template !== undefined &&
      Boolean(template.is_active) &&
      template.invite_type === role &&
      canGrant(actor.role, template.invite_type);
    if (!usable) {
      throw new HttpProblem(
        400,
        'Invalid request',
        `body.template_id: template ${templateId} is not an active template for ${role} invitations.`,
        [
          {
            path: 'body.template_id',
            message: `must be an active template for ${role} invitations`,
          },
        ],
      );
    }
    return template.id;
  }

  /** The emailed link: APP_BASE_URL only, never Host or Origin (I-08). */
  const inviteLink = (token: string) => `${config.appBaseUrl}/invite/${token}`;

  /**
   * US-INV-1 "Sending": renders the template (or the built-in text) and hands the email over
   * after the commit. The plaintext token lives only in this email (I-01).
   */
  async function sendInviteEmail(invite: InviteRow, token: string): Promise<void> {
    try {
      const inviter =
        invite.created_by_id === null
          ? undefined
          : await repository.findUserById(invite.created_by_id);
      const template =
        invite.template_id === null
          ? undefined
          : await invites.findTemplateById(invite.template_id);
      let body = template?.message_template ?? DEFAULT_INVITE_TEMPLATE.body;
      // A template without the link or the inviter's message still carries both.
      if (invite.custom_message !== '' && !usesPlaceholder(body, 'custom_message')) {
        body += '\n\nMessage from {{ inviter_name }}:\n{{ custom_message }}';
      }
      if (!usesPlaceholder(body, 'invite_link')) {
        body += '\n\nAccept the invitation: {{ invite_link }}';
      }
      const values: TemplateValues = {
        app_name: APP_NAME,
        inviter_name: inviter === undefined ? APP_NAME : displayName(inviter),
        inviter_email: inviter?.email ?? '',
        invitee_email: invite.email,
        role: invite.invite_type,
        invite_link: inviteLink(token),
        expires_at: readableTime(invite.expires_at),
        custom_message: invite.custom_message,
      };
      const rendered = renderTemplate(
        { subject: template?.subject ?? DEFAULT_INVITE_TEMPLATE.subject, body },
        values,
        (placeholder) => {
          context.log.warn(
            { templateId: invite.template_id, placeholder },
            'unknown template placeholder rendered as empty text',
          );
        },
      );
      const messageId = await context.mailer.send({
        to: invite.email,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        purpose: 'invite',
        inviteId: invite.id,
      });
      await invites.setMessageId(invite.id, messageId);
    } catch (error) {
      // The invite stands; email_sent_at stays NULL and the list shows "not sent".
      context.log.error({ err: error, inviteId: invite.id }, 'invitation email not handed over');
    }
  }

  async function invitationAnswer(id: number): Promise<Invitation> {
    const invite = await invites.findInviteById(id);
    if (invite === undefined) throw notFound('Invitation', id);
    return toInvitation(invite, nowIso());
  }

  /** Inserts an invite in a transaction, superseding the pending ones for the address (D14). */
  async function insertInvite(
    request: FastifyRequest,
    actor: UserRow,
    input: {
      email: string;
      inviteType: Role;
      customMessage: string;
      templateId: number | null;
      expiresAt: string;
      details?: Record<string, unknown>;
    },
    before?: (
      trx: ReturnType<typeof invitationsRepository>,
      identity: IdentityRepository,
    ) => Promise<void>,
  ): Promise<{ invite: InviteRow; token: string }> {
    const token = randomToken(INVITE_TOKEN_BYTES);
    const now = nowIso();
    const invite = await invites.transaction(async (trx, identity) => {
      await before?.(trx, identity);
      const superseded = await trx.supersedePendingInvites(input.email, actor.id, now);
      const id = await trx.insertInvite({
        token_hash: sha256Hex(token),
        email: input.email,
        invite_type: input.inviteType,
        custom_message: input.customMessage,
        created_by_id: actor.id,
        created_at: now,
        expires_at: input.expiresAt,
        used_at: null,
        email_sent_at: null,
        email_bounced: false,
        bounce_reason: '',
        revoked_at: null,
        revoked_by_id: null,
        resend_count: 0,
        accepted_user_id: null,
        template_id: input.templateId,
        message_id: null,
      });
      for (const oldId of superseded) {
        await audit(
          context,
          request,
          {
            action: 'invite.revoke',
            targetType: 'invite',
            targetId: oldId,
            details: { reason: 'superseded', superseded_by: id },
          },
          identity,
        );
      }
      await audit(
        context,
        request,
        {
          action: 'invite.create',
          targetType: 'invite',
          targetId: id,
          details: {
            email: input.email,
            invite_type: input.inviteType,
            template_id: input.templateId,
            expires_at: input.expiresAt,
            superseded,
            ...input.details,
          },
        },
        identity,
      );
      const row = await trx.findInviteById(id);
      if (row === undefined) throw new Error(`invite ${id} vanished inside its transaction`);
      return row;
    });
    return { invite, token };
  }

  /** Finds the invite behind a token if it can still be accepted (unused, live, entitled). */
  async function usableInvite(
    token: string,
    now: string,
  ): Promise<{ invite: InviteRow; inviter: UserRow }> {
    const invite = await invites.findInviteByTokenHash(sha256Hex(token));
    if (invite?.used_at !== null || invite.revoked_at !== null || invite.expires_at <= now) {
      throw invalidToken('invitation');
    }
    const inviter =
      invite.created_by_id === null
        ? undefined
        : await repository.findUserById(invite.created_by_id);
    if (!inviterEntitled(inviter, invite.invite_type)) throw invalidToken('invitation');
    return { invite, inviter };
  }

  async function adminUserView(user: UserRow): Promise<AdminUser> {
    const approver =
      user.approved_by_id === null ? undefined : await repository.findUserById(user.approved_by_id);
    return toAdminUser(user, {
      approvedBy: approver?.email ?? null,
      locked: (await lockedUntil(repository, emailKey(user.email), context.clock())) !== null,
    });
  }

  /** D13 / §3.10 guards shared by approve and reject. */
  async function decisionTarget(actor: UserRow, id: number): Promise<UserRow> {
    const target = await repository.findUserById(id);
    if (target === undefined) throw notFound('User', id);
    if (actor.role !== 'admin' && (!canGrant(actor.role, target.role) || target.is_superuser)) {
      throw forbidden('Managers cannot act on manager or admin accounts.');
    }
    return target;
  }

  return {
    // ---------------------------------------------------------------- invitations (§3.1)

    /** US-INV-1. */
    async createInvite(
      request: FastifyRequest,
      actor: UserRow,
      input: {
        email: string;
        invite_type: Role;
        template_id?: number | undefined;
        custom_message: string;
        expires_in_days: number;
      },
    ): Promise<Invitation> {
      if (!canGrant(actor.role, input.invite_type)) {
        throw forbidden(`A ${actor.role} cannot invite at the ${input.invite_type} role.`);
      }
      const email = normalizeEmail(input.email);
      const templateId = await inviteTemplateFor(actor, input.template_id, input.invite_type);
      if ((await repository.findUserByEmail(email)) !== undefined) {
        throw new HttpProblem(
          409,
          'Account exists',
          `An account already exists for ${email}.`,
          [{ path: 'body.email', message: 'already has an account' }],
          'account_exists',
        );
      }
      const now = context.clock();
      await assertInviteQuota(actor, now);
      const { invite, token } = await insertInvite(request, actor, {
        email,
        inviteType: input.invite_type,
        customMessage: input.custom_message,
        templateId,
        expiresAt: new Date(now.getTime() + input.expires_in_days * DAY_MS).toISOString(),
      });
      await sendInviteEmail(invite, token);
      return invitationAnswer(invite.id);
    },

    /** US-INV-6: admins see every invite, managers their own. */
    async listInvites(
      actor: UserRow,
      query: { status?: InviteStatus | undefined; page: number; page_size: number },
    ) {
      const now = nowIso();
      const { items, total } = await invites.pageInvites({
        createdById: actor.role === 'admin' ? null : actor.id,
        status: query.status ?? null,
        now,
        offset: (query.page - 1) * query.page_size,
        limit: query.page_size,
      });
      return {
        items: items.map((invite) => toInvitation(invite, now)),
        total,
        page: query.page,
        page_size: query.page_size,
      };
    },

    /**
     * US-INV-2: a new token (the old link dies), a later expiry, resend_count + 1; 3 per 24 h,
     * at least 5 minutes apart. A corrected address is a new invite and the old one is revoked
     * (US-INV-5).
     */
    async resendInvite(
      request: FastifyRequest,
      actor: UserRow,
      id: number,
      input: { email?: string | undefined },
    ): Promise<Invitation> {
      const invite = await invites.findInviteById(id);
      if (invite === undefined) throw notFound('Invitation', id);
      assertMayManage(actor, invite);
      if (invite.used_at !== null) {
        throw new HttpProblem(409, 'Already accepted', 'This invitation has already been used.');
      }
      if (invite.revoked_at !== null) {
        throw new HttpProblem(409, 'Revoked', 'This invitation was revoked; create a new one.');
      }
      const now = context.clock();
      const newEmail = input.email === undefined ? null : normalizeEmail(input.email);
      if (newEmail !== null && newEmail.toLowerCase() !== invite.email.toLowerCase()) {
        if ((await repository.findUserByEmail(newEmail)) !== undefined) {
          throw new HttpProblem(
            409,
            'Account exists',
            `An account already exists for ${newEmail}.`,
            [{ path: 'body.email', message: 'already has an account' }],
            'account_exists',
          );
        }
        await assertInviteQuota(actor, now);
        const expiresAt = new Date(now.getTime() + DEFAULT_INVITE_DAYS * DAY_MS).toISOString();
        const { invite: replacement, token } = await insertInvite(
          request,
          actor,
          {
            email: newEmail,
            inviteType: invite.invite_type,
            customMessage: invite.custom_message,
            templateId: invite.template_id,
            expiresAt: expiresAt > invite.expires_at ? expiresAt : invite.expires_at,
            details: { replaces: invite.id, previous_email: invite.email },
          },
          async (trx, identity) => {
            if (!(await trx.revokeInvite(invite.id, actor.id, now.toISOString()))) {
              throw new HttpProblem(409, 'Changed meanwhile', 'This invitation is no longer open.');
            }
            await audit(
              context,
              request,
              {
                action: 'invite.revoke',
                targetType: 'invite',
                targetId: invite.id,
                details: { reason: 'address_corrected', previous_email: invite.email },
              },
              identity,
            );
            await audit(
              context,
              request,
              {
                action: 'invite.resend',
                targetType: 'invite',
                targetId: invite.id,
                details: { address_changed: true, from: invite.email, to: newEmail },
              },
              identity,
            );
          },
        );
        await sendInviteEmail(replacement, token);
        return invitationAnswer(replacement.id);
      }

      const limit = LIMITS.resendsPerInvite;
      const gapKey = `invite:resend:last:${invite.id}`;
      const last = await repository.findThrottle(gapKey);
      const since = last === undefined ? Infinity : now.getTime() - Date.parse(last.window_start);
      if (since < limit.minGapMs) {
        throw tooMany(
          'Wait five minutes between two resends of the same invitation.',
          (limit.minGapMs - since) / 1000,
        );
      }
      if (!(await withinLimit(repository, `invite:resend:${invite.id}`, limit, now))) {
        throw tooMany(
          `An invitation can be resent at most ${limit.max} times a day.`,
          limit.windowMs / 1000,
        );
      }
      const token = randomToken(INVITE_TOKEN_BYTES);
      const extended = new Date(now.getTime() + DEFAULT_INVITE_DAYS * DAY_MS).toISOString();
      const expiresAt = extended > invite.expires_at ? extended : invite.expires_at;
      const rotated = await invites.transaction(async (trx, identity) => {
        if (!(await trx.rotateInvite(invite.id, { tokenHash: sha256Hex(token), expiresAt }))) {
          throw new HttpProblem(409, 'Changed meanwhile', 'This invitation is no longer open.');
        }
        await audit(
          context,
          request,
          {
            action: 'invite.resend',
            targetType: 'invite',
            targetId: invite.id,
            details: {
              resend_count: invite.resend_count + 1,
              expires_at: { before: invite.expires_at, after: expiresAt },
            },
          },
          identity,
        );
        const row = await trx.findInviteById(invite.id);
        if (row === undefined) throw notFound('Invitation', invite.id);
        return row;
      });
      await repository.saveThrottle({
        key: gapKey,
        window_start: now.toISOString(),
        hits: 1,
        locked_until: null,
        lockouts: 0,
      });
      await sendInviteEmail(rotated, token);
      return invitationAnswer(invite.id);
    },

    /** US-INV-3: revoked_at and revoked_by; revoking twice changes nothing more. */
    async revokeInvite(request: FastifyRequest, actor: UserRow, id: number): Promise<Invitation> {
      const invite = await invites.findInviteById(id);
      if (invite === undefined) throw notFound('Invitation', id);
      assertMayManage(actor, invite);
      if (invite.used_at !== null) {
        throw new HttpProblem(409, 'Already accepted', 'This invitation has already been used.');
      }
      if (invite.revoked_at === null) {
        await invites.transaction(async (trx, identity) => {
          if (!(await trx.revokeInvite(invite.id, actor.id, nowIso()))) {
            throw new HttpProblem(409, 'Changed meanwhile', 'This invitation is no longer open.');
          }
          await audit(
            context,
            request,
            { action: 'invite.revoke', targetType: 'invite', targetId: invite.id },
            identity,
          );
        });
      }
      return invitationAnswer(invite.id);
    },

    /** US-INV-4 / I-07: who invited whom, as what, until when. No side effects. */
    async previewInvite(token: string): Promise<InvitePreview> {
      const { invite, inviter } = await usableInvite(token, nowIso());
      return {
        email: invite.email,
        role: invite.invite_type,
        inviter_name: displayName(inviter),
        expires_at: invite.expires_at,
        custom_message: invite.custom_message,
      };
    },

    /**
     * US-INV-4: one transaction around the conditional update that consumes the invite (I-02).
     * The email and the role come from the invite row only (I-05); the account is approved by
     * the inviter (D2). Returns the new session's token.
     */
    async acceptInvite(
      request: FastifyRequest,
      input: { token: string; first_name: string; last_name: string; password: string },
    ): Promise<{ token: string; user: UserRow }> {
      const now = context.clock();
      const at = now.toISOString();
      const { invite } = await usableInvite(input.token, at);
      // I-09: an account that appeared meanwhile: the invite is not consumed.
      if ((await repository.findUserByEmail(invite.email)) !== undefined) {
        // Unless a racing accept of this very invite made it: then this one lost (I-02), and
        // gets the generic answer, not a hint that the account now exists.
        await usableInvite(input.token, at);
        throw accountExists();
      }
      await passwordProblems(
        context,
        input.password,
        { email: invite.email, firstName: input.first_name, lastName: input.last_name },
        'body.password',
      );
      const hash = await hashPassword(input.password);
      const tokenHash = sha256Hex(input.token);
      try {
        return await invites.transaction(async (trx, identity) => {
          // I-02: the conditional update decides; the losers of a race get the generic 410.
          const consumed = await trx.consumeInvite(tokenHash, at);
          if (consumed === undefined) throw invalidToken('invitation');
          // I-09: rolling back leaves the invite unused.
          if ((await identity.findUserByEmail(consumed.email)) !== undefined) throw accountExists();
          const inviter =
            consumed.created_by_id === null
              ? undefined
              : await identity.findUserById(consumed.created_by_id);
          if (!inviterEntitled(inviter, consumed.invite_type)) throw invalidToken('invitation');
          const user: NewUser = {
            email: consumed.email,
            username: null,
            password: hash,
            first_name: input.first_name,
            last_name: input.last_name,
            is_active: true,
            is_staff: false,
            is_superuser: false,
            is_approved: true,
            approval_date: at,
            approved_by_id: inviter.id,
            rejection_reason: '',
            last_login: null,
            last_login_ip: null,
            date_joined: at,
            created_at: at,
            updated_at: at,
            role: consumed.invite_type,
            rejected_by_id: null,
            rejected_at: null,
            deactivated_at: null,
            deactivated_by_id: null,
            password_changed_at: at,
            mfa_enabled_at: null,
            totp_secret_enc: null,
          };
          const userId = await identity.insertUser(user);
          await trx.setAcceptedUser(consumed.id, userId);
          await audit(
            context,
            request,
            {
              action: 'invite.accept',
              targetType: 'invite',
              targetId: consumed.id,
              actorId: userId,
              details: { user_id: userId, role: consumed.invite_type, approved_by: inviter.id },
            },
            identity,
          );
          // S-02: a session this browser held before is discarded.
          if (request.identity !== null) {
            await identity.revokeSessionById(request.identity.session.id, 'rotated', at);
          }
          const token = await startSession(identity, config, request, userId, true, now);
          await identity.recordSuccessfulLogin(userId, request.ip, at);
          const created = await identity.findUserById(userId);
          if (created === undefined) throw new Error(`user ${userId} vanished`);
          return { token, user: created };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw accountExists();
        throw error;
      }
    },

    /** The one delivery listener: email_sent_at on 'sent', the bounce on 'rejected'. */
    async recordDelivery(
      mail: OutgoingMail & { readonly messageId: string },
      result: DeliveryResult,
    ): Promise<void> {
      if (mail.purpose !== 'invite' || mail.inviteId === undefined) return;
      if (result.kind === 'sent') {
        await invites.markInviteSent(mail.inviteId, result.at);
      } else if (result.kind === 'rejected') {
        await invites.markInviteBounced(mail.inviteId, result.reason);
        await audit(context, null, {
          action: 'invite.bounce',
          targetType: 'invite',
          targetId: mail.inviteId,
          actorId: null,
          details: { source: 'smtp', reason: result.reason.slice(0, BOUNCE_REASON_MAX) },
        });
      } else {
        // 'failed': email_sent_at stays NULL, the list shows "not sent".
        context.log.warn({ inviteId: mail.inviteId }, 'invitation email not sent');
      }
    },

    /** US-INV-5 via the (already authenticated) webhook; unknown message ids are only logged. */
    async recordBounce(
      request: FastifyRequest,
      report: { message_id: string; reason: string },
    ): Promise<boolean> {
      const raw = report.message_id.trim();
      const invite =
        (await invites.findInviteByMessageId(raw)) ??
        (raw.startsWith('<') ? undefined : await invites.findInviteByMessageId(`<${raw}>`));
      if (invite === undefined) {
        request.log.info({ messageId: raw.slice(0, 200) }, 'bounce for an unknown message ignored');
        return false;
      }
      const reason = report.reason.slice(0, BOUNCE_REASON_MAX);
      await invites.markInviteBounced(invite.id, reason);
      await audit(context, request, {
        action: 'invite.bounce',
        targetType: 'invite',
        targetId: invite.id,
        actorId: null,
        details: { source: 'webhook', reason },
      });
      return true;
    },

    // ---------------------------------------------------------------- templates (§3.2)

    /** Admins: all templates; managers: active ones for the roles they may grant. */
    async listTemplates(actor: UserRow): Promise<InviteTemplate[]> {
      const rows = await invites.listTemplates(
        actor.role === 'admin' ? null : grantableRoles(actor.role),
      );
      return rows.map(toTemplate);
    },

    async createTemplate(
      request: FastifyRequest,
      actor: UserRow,
      input: {
        name: string;
        invite_type: Role;
        subject: string;
        message_template: string;
        is_active: boolean;
      },
    ): Promise<InviteTemplate> {
      assertKnownPlaceholders(input);
      const now = nowIso();
      const template = await invites.transaction(async (trx, identity) => {
        const id = await trx.insertTemplate({
          ...input,
          created_at: now,
          created_by_id: actor.id,
          updated_at: null,
          updated_by_id: null,
        });
        const row = await trx.findTemplateById(id);
        if (row === undefined) throw new Error(`template ${id} vanished`);
        await audit(
          context,
          request,
          {
            action: 'template.create',
            targetType: 'template',
            targetId: id,
            details: { before: null, after: toTemplate(row) },
          },
          identity,
        );
        return row;
      });
      return toTemplate(template);
    },

    /** Every change is audited with the before and after versions. */
    async updateTemplate(
      request: FastifyRequest,
      actor: UserRow,
      id: number,
      changes: {
        name?: string | undefined;
        invite_type?: Role | undefined;
        subject?: string | undefined;
        message_template?: string | undefined;
        is_active?: boolean | undefined;
      },
    ): Promise<InviteTemplate> {
      const defined: {
        name?: string;
        invite_type?: Role;
        subject?: string;
        message_template?: string;
        is_active?: boolean;
      } = {};
      if (changes.name !== undefined) defined.name = changes.name;
      if (changes.invite_type !== undefined) defined.invite_type = changes.invite_type;
      if (changes.subject !== undefined) defined.subject = changes.subject;
      if (changes.message_template !== undefined) {
        defined.message_template = changes.message_template;
      }
      if (changes.is_active !== undefined) defined.is_active = changes.is_active;
      if (Object.keys(defined).length === 0) {
        throw new HttpProblem(400, 'Invalid request', 'Nothing to change.', [
          { path: 'body', message: 'must change at least one field' },
        ]);
      }
      assertKnownPlaceholders(defined);
      const updated = await invites.transaction(async (trx, identity) => {
        const before = await trx.findTemplateById(id);
        if (before === undefined) throw notFound('Template', id);
        const now = nowIso();
        await trx.updateTemplate(id, { ...defined, updated_at: now, updated_by_id: actor.id });
        const after = await trx.findTemplateById(id);
        if (after === undefined) throw notFound('Template', id);
        const deactivated = Boolean(before.is_active) && !after.is_active;
        await audit(
          context,
          request,
          {
            action: deactivated ? 'template.deactivate' : 'template.update',
            targetType: 'template',
            targetId: id,
            details: { before: toTemplate(before), after: toTemplate(after) },
          },
          identity,
        );
        return after;
      });
      return toTemplate(updated);
    },

    // ---------------------------------------------------------------- request access (§3.3)

    /**
     * US-REQ-1: the answer never depends on the address; limits and mail happen after it
     * (equal timing), and past the limits nothing is sent.
     */
    requestAccess(
      request: FastifyRequest,
      input: { email: string; first_name: string; last_name: string },
    ): void {
      const ip = request.ip;
      const email = normalizeEmail(input.email);
      context.background.run(async () => {
        const now = context.clock();
        const ipOk = await withinLimit(
          repository,
          `access:ip:${ip}`,
          LIMITS.accessRequestPerIp,
          now,
        );
        const emailOk = await withinLimit(
          repository,
          `access:email:${email.toLowerCase()}`,
          LIMITS.accessRequestPerEmail,
          now,
        );
        if (!ipOk || !emailOk) return;
        const user = await repository.findUserByEmail(email);
        if (user !== undefined) {
          await sendAccountExistsEmail(user, now);
          return;
        }
        const token = randomToken(SIGNUP_TOKEN_BYTES);
        await repository.expireTokens('signup_verify', { email }, now.toISOString());
        await repository.insertToken({
          purpose: 'signup_verify',
          token_hash: sha256Hex(token),
          user_id: null,
          email,
          payload: JSON.stringify({ first_name: input.first_name, last_name: input.last_name }),
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + SIGNUP_TOKEN_HOURS * 3_600_000).toISOString(),
          used_at: null,
        });
        await context.mailer.send({
          to: email,
          subject: `Confirm your request for ${APP_NAME}`,
          text: [
            `Someone, hopefully you, asked for an ${APP_NAME} account for ${email}.`,
            '',
            `To confirm the address and choose a password, open this link within ${SIGNUP_TOKEN_HOURS} hours:`,
            `${config.appBaseUrl}/request-access/verify#${token}`,
            '',
            'An administrator then reviews the request. If you did not ask for this, ignore this email.',
          ].join('\n'),
          purpose: 'signup_verify',
        });
      });
    },

    async previewAccessRequest(
      token: string,
    ): Promise<{ email: string; first_name: string; last_name: string }> {
      const row = await repository.findUsableToken('signup_verify', sha256Hex(token), nowIso());
      if (row === undefined) throw invalidToken('link');
      const names = signupPayloadSchema.parse(JSON.parse(row.payload));
      return { email: row.email, ...names };
    },

    /**
     * The verified request becomes a pending account (is_approved false, no effective role) and
     * admins and managers are told.
     */
    async completeAccessRequest(
      request: FastifyRequest,
      input: { token: string; password: string },
    ): Promise<void> {
      const at = nowIso();
      const tokenHash = sha256Hex(input.token);
      const row = await repository.findUsableToken('signup_verify', tokenHash, at);
      if (row === undefined) throw invalidToken('link');
      const names = signupPayloadSchema.parse(JSON.parse(row.payload));
      if ((await repository.findUserByEmail(row.email)) !== undefined) throw accountExists();
      await passwordProblems(
        context,
        input.password,
        { email: row.email, firstName: names.first_name, lastName: names.last_name },
        'body.password',
      );
      const hash = await hashPassword(input.password);
      let created: UserRow;
      try {
        created = await repository.transaction(async (identity) => {
          if (!(await identity.consumeToken(row.id, at))) throw invalidToken('link');
          if ((await identity.findUserByEmail(row.email)) !== undefined) throw accountExists();
          const userId = await identity.insertUser({
            email: row.email,
            username: null,
            password: hash,
            first_name: names.first_name,
            last_name: names.last_name,
            is_active: true,
            is_staff: false,
            is_superuser: false,
            is_approved: false,
            approval_date: null,
            approved_by_id: null,
            rejection_reason: '',
            last_login: null,
            last_login_ip: null,
            date_joined: at,
            created_at: at,
            updated_at: at,
            // NOT NULL column; a pending user has no effective role until approval (§3.3).
            role: PENDING_ROLE_PLACEHOLDER,
            rejected_by_id: null,
            rejected_at: null,
            deactivated_at: null,
            deactivated_by_id: null,
            password_changed_at: at,
            mfa_enabled_at: null,
            totp_secret_enc: null,
          });
          await audit(
            context,
            request,
            {
              action: 'access_request.create',
              targetType: 'user',
              targetId: userId,
              actorId: userId,
              details: { email: row.email },
            },
            identity,
          );
          const user = await identity.findUserById(userId);
          if (user === undefined) throw new Error(`user ${userId} vanished`);
          return user;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw accountExists();
        throw error;
      }
      context.background.run(async () => {
        const staff = await repository.listApprovedUsersWithRoles(['manager', 'admin']);
        for (const member of staff) {
          await context.mailer.send({
            to: member.email,
            subject: `New access request: ${displayName(created)}`,
            text: [
              `${displayName(created)} <${created.email}> asked for access to ${APP_NAME} and confirmed the address.`,
              '',
              `Review the request: ${config.appBaseUrl}/admin/users`,
            ].join('\n'),
            purpose: 'access_request',
          });
        }
      });
    },

    // ---------------------------------------------------------------- approval (§3.4)

    async listAccessRequests(query: { page: number; page_size: number }) {
      const { items, total } = await repository.pagePendingUsers(
        (query.page - 1) * query.page_size,
        query.page_size,
      );
      const views: AdminUser[] = [];
      for (const user of items) views.push(await adminUserView(user));
      return { items: views, total, page: query.page, page_size: query.page_size };
    },

    /** US-APR-1: a conditional update on the current status (no double decisions). */
    async approveUser(
      request: FastifyRequest,
      actor: UserRow,
      id: number,
      role: Role,
    ): Promise<AdminUser> {
      if (!canGrant(actor.role, role)) {
        throw forbidden(`A ${actor.role} cannot approve at the ${role} role.`);
      }
      const target = await decisionTarget(actor, id);
      const statusBefore = userStatus(target);
      if (statusBefore !== 'pending' && statusBefore !== 'rejected') {
        throw new HttpProblem(
          409,
          'No pending request',
          statusBefore === 'approved'
            ? 'This account is already approved.'
            : 'This account is deactivated; reactivate it instead.',
          undefined,
          'already_decided',
        );
      }
      const at = nowIso();
      const approved = await repository.transaction(async (identity) => {
        const changed = await identity.approvePendingUser(id, {
          role,
          approvedById: actor.id,
          at,
          targetRoles: actor.role === 'admin' ? ROLES : grantableRoles(actor.role),
          seenRejectionReason: target.rejection_reason,
        });
        if (!changed) {
          throw new HttpProblem(
            409,
            'No pending request',
            'This request was decided meanwhile.',
            undefined,
            'already_decided',
          );
        }
        await audit(
          context,
          request,
          {
            action: 'user.approve',
            targetType: 'user',
            targetId: id,
            details: { role, status_before: statusBefore },
          },
          identity,
        );
        const user = await identity.findUserById(id);
        if (user === undefined) throw notFound('User', id);
        return user;
      });
      await context.mailer
        .send({
          to: approved.email,
          subject: `Your ${APP_NAME} account is approved`,
          text: [
            `Your request for ${APP_NAME} was approved; your role is ${role}.`,
            '',
            `Sign in at ${config.appBaseUrl}/sign-in`,
          ].join('\n'),
          purpose: 'access_approved',
        })
        .catch((error: unknown) => {
          context.log.error({ err: error, userId: id }, 'approval email not handed over');
        });
      return adminUserView(approved);
    },

    /** US-APR-2: a reason is required; the email shows it only when share_reason is set. */
    async rejectUser(
      request: FastifyRequest,
      actor: UserRow,
      id: number,
      input: { reason: string; share_reason: boolean },
    ): Promise<AdminUser> {
      const target = await decisionTarget(actor, id);
      const statusBefore = userStatus(target);
      if (statusBefore !== 'pending') {
        throw new HttpProblem(
          409,
          'No pending request',
          statusBefore === 'approved'
            ? 'This account is approved; deactivate it to remove access.'
            : `This account is ${statusBefore} already.`,
          undefined,
          'already_decided',
        );
      }
      const at = nowIso();
      const rejected = await repository.transaction(async (identity) => {
        const changed = await identity.rejectPendingUser(id, {
          reason: input.reason,
          rejectedById: actor.id,
          at,
          targetRoles: actor.role === 'admin' ? ROLES : grantableRoles(actor.role),
        });
        if (!changed) {
          throw new HttpProblem(
            409,
            'No pending request',
            'This request was decided meanwhile.',
            undefined,
            'already_decided',
          );
        }
        await identity.revokeSessions(id, 'rejected', at);
        await audit(
          context,
          request,
          {
            action: 'user.reject',
            targetType: 'user',
            targetId: id,
            details: { reason: input.reason, share_reason: input.share_reason },
          },
          identity,
        );
        const user = await identity.findUserById(id);
        if (user === undefined) throw notFound('User', id);
        return user;
      });
      await context.mailer
        .send({
          to: rejected.email,
          subject: `Your ${APP_NAME} access request`,
          text: [
            `Your request for access to ${APP_NAME} was declined.`,
            ...(input.share_reason ? ['', `Reason: ${input.reason}`] : []),
          ].join('\n'),
          purpose: 'access_rejected',
        })
        .catch((error: unknown) => {
          context.log.error({ err: error, userId: id }, 'rejection email not handed over');
        });
      return adminUserView(rejected);
    },
  };

  /** §3.3: the address has an account: say so, with a reset link when one can be used. */
  async function sendAccountExistsEmail(user: UserRow, now: Date): Promise<void> {
    const lines = [
      `Someone, hopefully you, asked for an ${APP_NAME} account for ${user.email}.`,
      '',
      'You already have an account.',
    ];
    if (user.is_active && isUsablePasswordHash(user.password)) {
      const token = randomToken(32);
      await repository.expireTokens('password_reset', { userId: user.id }, now.toISOString());
      await repository.insertToken({
        purpose: 'password_reset',
        token_hash: sha256Hex(token),
        user_id: user.id,
        email: user.email,
        payload: '{}',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000).toISOString(),
        used_at: null,
      });
      lines.push(
        `Sign in at ${config.appBaseUrl}/sign-in, or, if you forgot the password, open this link within ${RESET_TOKEN_MINUTES} minutes to choose a new one:`,
        `${config.appBaseUrl}/reset-password#${token}`,
      );
    } else {
      lines.push('It cannot be used at the moment; contact an administrator.');
    }
    lines.push('', 'If you did not ask for this, ignore this email.');
    await context.mailer.send({
      to: user.email,
      subject: `You already have an ${APP_NAME} account`,
      text: lines.join('\n'),
      purpose: 'access_request_exists',
    });
  }
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;

/** §3.2 "On save": an unknown placeholder is a validation error naming it. */
function assertKnownPlaceholders(input: { subject?: string; message_template?: string }): void {
  const errors: { path: string; message: string }[] = [];
  for (const field of ['subject', 'message_template'] as const) {
    const text = input[field];
    if (text === undefined) continue;
    for (const name of unknownPlaceholders(text)) {
      errors.push({ path: `body.${field}`, message: `unknown placeholder {{ ${name} }}` });
    }
  }
  const first = errors[0];
  if (first !== undefined) {
    throw new HttpProblem(
      400,
      'Invalid request',
      `${first.path}: ${first.message}` +
        (errors.length > 1 ? ` (and ${errors.length - 1} more)` : '') +
        '. Allowed placeholders: app_name, inviter_name, inviter_email, invitee_email, role, invite_link, expires_at, custom_message.',
      errors,
      'unknown_placeholder',
    );
  }
}
