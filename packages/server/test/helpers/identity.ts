import type { Role } from '@hub/core';
import type { LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../src/modules/identity/passwords.js';
import { identityRepository } from '../../src/modules/identity/repository.js';
import type { TestHub } from './app.js';

export interface TestUser {
  readonly id: number;
  readonly email: string;
  readonly password: string;
}

/** A user straight in the database (approved and active unless told otherwise). */
export async function createUser(
  hub: TestHub,
  input: {
    email: string;
    password?: string;
    role?: Role;
    approved?: boolean;
    active?: boolean;
    rejectionReason?: string;
    firstName?: string;
    lastName?: string;
    /** A stored hash to use as is (e.g. a Django pbkdf2 value). */
    passwordHash?: string;
  },
): Promise<TestUser> {
  const password = input.password ?? 'correct horse battery staple 42';
  const now = hub.app.hub.clock().toISOString();
  const id = await identityRepository(hub.database.db).insertUser({
    email: input.email,
    username: null,
    password: input.passwordHash ?? (await hashPassword(password)),
    first_name: input.firstName ?? 'Test',
    last_name: input.lastName ?? 'User',
    is_active: input.active ?? true,
    is_staff: input.role === 'admin',
    is_superuser: false,
    is_approved: input.approved ?? true,
    approval_date: (input.approved ?? true) ? now : null,
    approved_by_id: null,
    rejection_reason: input.rejectionReason ?? '',
    last_login: null,
    last_login_ip: null,
    date_joined: now,
    created_at: now,
    updated_at: now,
    role: input.role ?? 'viewer',
    rejected_by_id: null,
    rejected_at: null,
    deactivated_at: null,
    deactivated_by_id: null,
    password_changed_at: now,
    mfa_enabled_at: null,
    totp_secret_enc: null,
  });
  return { id, email: input.email, password };
}

/** The `name=value` of the session cookie a response sets, or undefined. */
export function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  const cookie = response.cookies.find((entry) => entry.name.endsWith('umbrella_session'));
  return cookie === undefined || cookie.value === '' ? undefined : `${cookie.name}=${cookie.value}`;
}

export function signInRequest(hub: TestHub, email: string, password: string) {
  return hub.app.inject({
    method: 'POST',
    url: '/api/identity/sessions',
    payload: { email, password },
  });
}

/** Signs in (no MFA) and returns the Cookie header value for later requests. */
export async function signIn(hub: TestHub, email: string, password: string): Promise<string> {
  const response = await signInRequest(hub, email, password);
  const cookie = sessionCookieOf(response);
  if (response.statusCode !== 200 || cookie === undefined) {
    throw new Error(`sign-in of ${email} failed: ${String(response.statusCode)} ${response.body}`);
  }
  return cookie;
}

/** Every mail the hub has recorded, oldest first, once background delivery has settled. */
export async function outbox(hub: TestHub) {
  await hub.app.hub.identity.background.idle();
  return hub.database.db
    .selectFrom('identity.mail_messages')
    .selectAll()
    .orderBy('id', 'asc')
    .execute();
}

/** The token after `marker` in the newest mail to `to` (links end at whitespace). */
export async function tokenFromMail(hub: TestHub, to: string, marker: string): Promise<string> {
  const mails = (await outbox(hub)).filter((mail) => mail.to_address === to);
  const body = mails.at(-1)?.text_body ?? '';
  const start = body.indexOf(marker);
  if (start < 0) throw new Error(`no "${marker}" in the last mail to ${to}: ${body}`);
  return body.slice(start + marker.length).split(/\s/)[0] ?? '';
}
