import { Anchor, Stack, Text, Title } from '@mantine/core';
import { acceptedMessageSchema } from '@hub/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { apiPost } from '../../api/client';
import { LinkProblem, LoadingStatus, SuccessAlert } from './components';
import { INCOMPLETE_LINK, INVALID_LINK, isInvalidToken } from './errors';
import { IDENTITY_API } from './helpers';
import { useSession } from './session';
import { useHashToken } from './useHashToken';

const TITLE = 'Confirm your new email address';

/** /confirm-email#<token>: POST /email/confirm once, then show the result. */
export function ConfirmEmailPage() {
  const token = useHashToken();
  const { user, refresh } = useSession();
  const started = useRef(false);

  const confirm = useMutation({
    mutationFn: (body: { token: string }) =>
      apiPost(`${IDENTITY_API}/email/confirm`, body, acceptedMessageSchema),
    onSuccess: () => refresh(),
  });
  const { mutate } = confirm;

  useEffect(() => {
    // The token is single use: post it once, also under StrictMode's double effects.
    if (token === null || started.current) return;
    started.current = true;
    mutate({ token });
  }, [token, mutate]);

  if (token === null) return <LinkProblem title={TITLE} message={INCOMPLETE_LINK} />;
  if (confirm.isError) {
    if (isInvalidToken(confirm.error)) {
      return (
        <LinkProblem
          title={TITLE}
          message={`${INVALID_LINK} To change your address, ask for a new link on your account page.`}
          action={{ label: 'Go to your account', to: '/account' }}
        />
      );
    }
    return <LinkProblem title={TITLE} error={confirm.error} />;
  }
  if (!confirm.isSuccess) return <LoadingStatus label="Confirming your email address…" />;

  return (
    <Stack gap="md" maw={520}>
      <Title order={1}>{TITLE}</Title>
      <SuccessAlert title="Email address confirmed">{confirm.data.message}</SuccessAlert>
      <Text>
        {user === null ? (
          <Anchor component={Link} to="/sign-in">
            Sign in with your new address
          </Anchor>
        ) : (
          <Anchor component={Link} to="/account">
            Go to your account
          </Anchor>
        )}
      </Text>
    </Stack>
  );
}
