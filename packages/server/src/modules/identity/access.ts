import { roleRank, type Role } from '@hub/core';

/**
 * What a route requires (C-01: every /api route declares one; a route without it is refused at
 * start-up). Other modules reuse this: `config: { access: { role: 'viewer' } }`.
 */
export type Access =
  | 'public'
  | {
      /** The lowest role allowed (viewer < analyst < manager < admin). */
      readonly role: Role;
      /** Open while a user whose role requires MFA has not enrolled yet (enrolment routes). */
      readonly duringMfaEnrolment?: boolean;
      /** The last password check must be at most 15 minutes old (§3.7 US-SES-2, S-09, S-11). */
      readonly freshAuth?: boolean;
    };

/** Session routes that answer while the second sign-in step is still due. */
export type MfaChallengeAccess = 'mfa_challenge';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access | MfaChallengeAccess;
    /** false only for server-to-server endpoints authenticated otherwise (the bounce webhook). */
    csrf?: boolean;
  }
}

export const FRESH_AUTH_MINUTES = 15;

export function hasRole(actual: Role, required: Role): boolean {
  return roleRank(actual) >= roleRank(required);
}
