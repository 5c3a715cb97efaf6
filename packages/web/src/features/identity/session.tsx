/**
 * The signed-in user on the client: useSession (GET /api/identity/me), the RequireRole route
 * guard, sign-out, and useReauth, which asks for the password again when the server answers
 * 403 reauth_required (a sensitive action more than 15 minutes after the last password check).
 */

import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { sessionStateSchema, type CurrentUser, type Role } from '@hub/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
  type ReactNode,
  type SubmitEvent,
} from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, apiDelete, apiGet, apiPost } from '../../api/client';
import { ForbiddenPage } from '../../pages/ForbiddenPage';
import { ErrorAlert, LoadingStatus } from './components';
import { describeError, ReauthCancelledError } from './errors';
import { hasRole, IDENTITY_API, isCodeShaped, normaliseCode, signInPath } from './helpers';

export { ReauthCancelledError, isReauthCancelled } from './errors';

/** The TanStack Query key of the current user. */
export const SESSION_QUERY_KEY = ['identity', 'me'] as const;

export interface Session {
  /** The signed-in user, or null when signed out (or while loading). */
  user: CurrentUser | null;
  isLoading: boolean;
  /** Re-reads GET /me (after sign-in, a profile change, MFA enrolment…). */
  refresh: () => Promise<void>;
}

const MAX_RETRIES = 2;

/** GET /me: the user, or null on 401 (signed out). */
async function fetchCurrentUser(signal: AbortSignal): Promise<CurrentUser | null> {
  try {
    const state = await apiGet(`${IDENTITY_API}/me`, sessionStateSchema, { signal });
    return state.state === 'signed_in' ? state.user : null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useSession(): Session {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: ({ signal }) => fetchCurrentUser(signal),
    // A 4xx (e.g. 404 before the identity module is installed) will not change on retry.
    retry: (failureCount, error) =>
      failureCount < MAX_RETRIES &&
      !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    staleTime: 30_000,
  });
  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY, exact: true });
  }, [queryClient]);
  return { user: query.data ?? null, isLoading: query.isLoading, refresh };
}

/** Stores a user the server just returned (sign-in, invite accept, profile edit) and re-reads /me. */
export function useSetSessionUser(): (user: CurrentUser | null) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (user: CurrentUser | null) => {
      queryClient.setQueryData(SESSION_QUERY_KEY, user);
      void queryClient.invalidateQueries({ queryKey: SESSION_QUERY_KEY, exact: true });
    },
    [queryClient],
  );
}

export interface RequireRoleProps {
  /** The lowest role that may see the children. */
  role: Role;
  /** Let a user who must still enrol in MFA through (only the enrolment page does). */
  allowDuringMfaEnrolment?: boolean;
  children: ReactNode;
}

/**
 * A route guard. Signed out → /sign-in?next=<this page>; MFA enrolment due → /account/mfa;
 * role below `role` → the 403 page. The server checks every request anyway; this only keeps
 * the UI honest.
 */
export function RequireRole({ role, allowDuringMfaEnrolment = false, children }: RequireRoleProps) {
  const { user, isLoading } = useSession();
  const location = useLocation();
  if (isLoading) return <LoadingStatus label="Checking your session…" />;
  if (user === null) {
    return <Navigate to={signInPath(`${location.pathname}${location.search}`)} replace />;
  }
  if (user.mfa_enrolment_required && !allowDuringMfaEnrolment) {
    return <Navigate to="/account/mfa" replace />;
  }
  if (!hasRole(user, role)) return <ForbiddenPage requiredRole={role} />;
  return children;
}

/** DELETE /sessions/current, then forget everything cached and go to /sign-in. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      try {
        await apiDelete(`${IDENTITY_API}/sessions/current`);
      } catch (error) {
        // Already signed out (expired or revoked session): nothing left to end on the server.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: async () => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_QUERY_KEY, null);
      await navigate('/sign-in');
    },
  });
}

// ---------------------------------------------------------------- re-authentication

/** Runs `action`; on 403 reauth_required asks for the password, then runs it once more. */
export type WithReauth = <T>(action: () => Promise<T>) => Promise<T>;

interface ReauthContextValue {
  /** Opens the password dialog; resolves once the server accepted it, rejects on cancel. */
  requestReauth: () => Promise<void>;
}

const ReauthContext = createContext<ReauthContextValue | null>(null);

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Hosts the one re-authentication dialog of the app. App.tsx renders it around the router. */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  // A new key per opening gives the dialog empty fields each time.
  const [generation, setGeneration] = useState(0);
  const waiters = useRef<Waiter[]>([]);

  const requestReauth = useCallback(
    () =>
      new Promise<void>((resolve, reject) => {
        // Several actions may need it at once: they all wait for the same dialog.
        if (waiters.current.length === 0) setGeneration((value) => value + 1);
        waiters.current.push({ resolve, reject });
        setOpened(true);
      }),
    [],
  );

  const settle = useCallback((confirmed: boolean) => {
    const pending = waiters.current;
    waiters.current = [];
    setOpened(false);
    for (const waiter of pending) {
      if (confirmed) waiter.resolve();
      else waiter.reject(new ReauthCancelledError());
    }
  }, []);

  const value = useMemo(() => ({ requestReauth }), [requestReauth]);

  return (
    <ReauthContext value={value}>
      {children}
      <ReauthDialog
        key={generation}
        opened={opened}
        onConfirmed={() => {
          settle(true);
        }}
        onCancel={() => {
          settle(false);
        }}
      />
    </ReauthContext>
  );
}

/**
 * `const withReauth = useReauth(); await withReauth(() => apiDelete(...))`: the action runs;
 * if the server answers 403 reauth_required, the password dialog opens, and after a successful
 * POST /me/reauth the action runs once more. Closing the dialog rejects with
 * ReauthCancelledError (see isReauthCancelled), which pages need not show.
 */
export function useReauth(): WithReauth {
  const context = useContext(ReauthContext);
  const requestReauth = context?.requestReauth;
  return useCallback(
    async <T,>(action: () => Promise<T>): Promise<T> => {
      try {
        return await action();
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'reauth_required')) throw error;
        if (requestReauth === undefined) {
          throw new Error('useReauth needs a <ReauthProvider> above it (see App.tsx).');
        }
        await requestReauth();
        return action();
      }
    },
    [requestReauth],
  );
}

export interface ReauthDialogProps {
  opened: boolean;
  onConfirmed: () => void;
  onCancel: () => void;
}

/** The password (and, for MFA users, code) prompt of useReauth: POST /me/reauth. */
export function ReauthDialog({ opened, onConfirmed, onCancel }: ReauthDialogProps) {
  const { user } = useSession();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; code?: string }>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const withCode = askCode || user?.mfa_enabled === true;

  const reauth = useMutation({
    mutationFn: (body: { password: string; code?: string }) =>
      apiPost(`${IDENTITY_API}/me/reauth`, body),
    onSuccess: () => {
      setPassword('');
      setCode('');
      onConfirmed();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'mfa_required') {
        setAskCode(true);
        codeRef.current?.focus();
      }
    },
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: { password?: string; code?: string } = {};
    if (password === '') errors.password = 'Enter your password.';
    const normalised = normaliseCode(code);
    if (withCode && !isCodeShaped(normalised)) {
      errors.code = 'Enter the 6-digit code from your authenticator app, or a recovery code.';
    }
    setFieldErrors(errors);
    if (errors.password !== undefined) {
      passwordRef.current?.focus();
      return;
    }
    if (errors.code !== undefined) {
      codeRef.current?.focus();
      return;
    }
    reauth.mutate(withCode ? { password, code: normalised } : { password });
  };

  const failure =
    reauth.error === null
      ? undefined
      : reauth.error instanceof ApiError && reauth.error.code === 'mfa_required'
        ? {
            title: 'Two-factor code needed',
            message: 'Enter the code from your authenticator app as well.',
          }
        : reauth.error instanceof ApiError && reauth.error.status === 401
          ? {
              title: 'Not confirmed',
              message: reauth.error.detail ?? 'The password or code is not correct.',
            }
          : describeError(reauth.error);

  return (
    // The compound form: Mantine's default header is a <header>, which would add a second
    // banner landmark to the page (axe landmark-no-duplicate-banner).
    <Modal.Root opened={opened} onClose={onCancel} centered>
      <Modal.Overlay />
      <Modal.Content>
        <Modal.Header role="none">
          <Modal.Title fw={700}>Confirm it&apos;s you</Modal.Title>
          <Modal.CloseButton aria-label="Close" />
        </Modal.Header>
        <Modal.Body>
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="md">
              <Text size="sm">
                For your security, enter your password again to continue. This is needed for
                sensitive changes when you last signed in more than 15 minutes ago.
              </Text>
              {failure !== undefined && <ErrorAlert text={failure} />}
              <PasswordInput
                ref={passwordRef}
                label="Password"
                autoComplete="current-password"
                required
                withAsterisk={false}
                data-autofocus
                value={password}
                error={fieldErrors.password}
                aria-invalid={fieldErrors.password !== undefined}
                onChange={(event) => {
                  setPassword(event.currentTarget.value);
                }}
              />
              {withCode && (
                <TextInput
                  ref={codeRef}
                  label="Authentication code"
                  description="The 6-digit code from your authenticator app, or a recovery code."
                  autoComplete="one-time-code"
                  required
                  withAsterisk={false}
                  value={code}
                  error={fieldErrors.code}
                  onChange={(event) => {
                    setCode(event.currentTarget.value);
                  }}
                />
              )}
              <Group justify="flex-end" gap="sm">
                <Button variant="default" onClick={onCancel}>
                  Cancel
                </Button>
                <Button type="submit" loading={reauth.isPending}>
                  Confirm
                </Button>
              </Group>
            </Stack>
          </form>
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
