/** TanStack Query keys of the signed-in user's own data (children of ['identity', 'me']). */
export const MY_SESSIONS_KEY = ['identity', 'me', 'sessions'] as const;
export const MY_LOGIN_ATTEMPTS_KEY = ['identity', 'me', 'login-attempts'] as const;
