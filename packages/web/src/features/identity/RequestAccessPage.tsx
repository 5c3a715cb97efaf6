import { Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { acceptedMessageSchema } from '@hub/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, apiPost } from '../../api/client';
import { useIdentityStatus } from './api';
import { InfoAlert, RequestError, SuccessAlert } from './components';
import { serverFieldErrors } from './errors';
import { IDENTITY_API } from './helpers';
import { validateSignIn } from './validation';

interface RequestValues {
  email: string;
  first_name: string;
  last_name: string;
}
type RequestErrors = Partial<Record<keyof RequestValues, string>>;

const FIELD_ORDER: (keyof RequestValues)[] = ['email', 'first_name', 'last_name'];

function validate(values: RequestValues): RequestErrors {
  const errors: RequestErrors = {};
  const email = validateSignIn({ email: values.email, password: 'x' }).email;
  if (email !== undefined) errors.email = email;
  if (values.first_name.trim() === '') errors.first_name = 'Enter your first name.';
  if (values.last_name.trim() === '') errors.last_name = 'Enter your last name.';
  return errors;
}

function InviteOnly() {
  return (
    <InfoAlert title="Requests are closed">
      Accounts are created by invitation only. Ask an administrator to invite you.
    </InfoAlert>
  );
}

/** /request-access (US-REQ-1): the same 202 answer whether or not the address has an account. */
export function RequestAccessPage() {
  const status = useIdentityStatus();
  const [values, setValues] = useState<RequestValues>({ email: '', first_name: '', last_name: '' });
  const [errors, setErrors] = useState<RequestErrors>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const firstNameRef = useRef<HTMLInputElement>(null);
  const lastNameRef = useRef<HTMLInputElement>(null);

  const request = useMutation({
    mutationFn: (body: RequestValues) =>
      apiPost(`${IDENTITY_API}/access-requests`, body, acceptedMessageSchema),
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    const first = FIELD_ORDER.find((name) => found[name] !== undefined);
    if (first !== undefined) {
      const refs = { email: emailRef, first_name: firstNameRef, last_name: lastNameRef };
      refs[first].current?.focus();
      return;
    }
    request.mutate({
      email: values.email.trim(),
      first_name: values.first_name.trim(),
      last_name: values.last_name.trim(),
    });
  };

  const closed =
    status.data?.signup_mode === 'invite_only' ||
    (request.error instanceof ApiError && request.error.status === 403);
  const server = serverFieldErrors(request.error);

  return (
    <Stack gap="md" maw={480}>
      <Title order={1}>Request access</Title>
      {closed ? (
        <InviteOnly />
      ) : request.isSuccess ? (
        <SuccessAlert title="Check your inbox">
          {request.data.message} The link in the email is valid for 24 hours.
        </SuccessAlert>
      ) : (
        <>
          <Text>
            Enter your email address and name. We will send you a link to confirm the address and
            choose a password. An administrator then reviews your request.
          </Text>
          <Paper withBorder p="lg" radius="md">
            <form onSubmit={onSubmit} noValidate aria-label="Request access">
              <Stack gap="md">
                <RequestError error={request.error} />
                <TextInput
                  ref={emailRef}
                  label="Email"
                  type="email"
                  autoComplete="email"
                  required
                  withAsterisk={false}
                  value={values.email}
                  error={errors.email ?? server.email}
                  onChange={(event) => {
                    const email = event.currentTarget.value;
                    setValues((current) => ({ ...current, email }));
                  }}
                />
                <TextInput
                  ref={firstNameRef}
                  label="First name"
                  autoComplete="given-name"
                  required
                  withAsterisk={false}
                  maxLength={150}
                  value={values.first_name}
                  error={errors.first_name ?? server.first_name}
                  onChange={(event) => {
                    const first_name = event.currentTarget.value;
                    setValues((current) => ({ ...current, first_name }));
                  }}
                />
                <TextInput
                  ref={lastNameRef}
                  label="Last name"
                  autoComplete="family-name"
                  required
                  withAsterisk={false}
                  maxLength={150}
                  value={values.last_name}
                  error={errors.last_name ?? server.last_name}
                  onChange={(event) => {
                    const last_name = event.currentTarget.value;
                    setValues((current) => ({ ...current, last_name }));
                  }}
                />
                <Button type="submit" loading={request.isPending}>
                  Request access
                </Button>
              </Stack>
            </form>
          </Paper>
        </>
      )}
      <Text size="sm">
        Already have an account?{' '}
        <Anchor component={Link} to="/sign-in">
          Sign in
        </Anchor>
      </Text>
    </Stack>
  );
}
