import {
  Anchor,
  Button,
  Group,
  Image,
  List,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { mfaSetupResponseSchema, recoveryCodesResponseSchema } from '@hub/core';
import { useMutation } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiPost } from '../../api/client';
import {
  InfoAlert,
  LoadingStatus,
  RecoveryCodeList,
  RequestError,
  SuccessAlert,
} from './components';
import { serverFieldErrors } from './errors';
import { effectiveRole, IDENTITY_API, ROLE_LABELS } from './helpers';
import { useReauth, useSession } from './session';

export const QR_ALT = 'QR code that adds Umbrella Hub to your authenticator app';

/** POST /me/mfa/setup, then draw the otpauth URL as a QR code (a data: URL for an <img>). */
async function startSetup(): Promise<{ secret: string; qr: string }> {
  const setup = await apiPost(`${IDENTITY_API}/me/mfa/setup`, {}, mfaSetupResponseSchema);
  const qr = await QRCode.toDataURL(setup.otpauth_url, { margin: 2, width: 220 });
  return { secret: setup.secret, qr };
}

/**
 * /account/mfa (US-PRO-3, D8): scan the QR code or type the setup key, confirm with a code,
 * then save the recovery codes, shown this once.
 */
export function MfaSetupPage() {
  const { user, refresh } = useSession();
  const withReauth = useReauth();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>(undefined);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const started = useRef(false);
  const codeRef = useRef<HTMLInputElement>(null);

  const setup = useMutation({ mutationFn: () => withReauth(startSetup) });
  const enable = useMutation({
    mutationFn: (body: { code: string }) =>
      withReauth(() => apiPost(`${IDENTITY_API}/me/mfa/enable`, body, recoveryCodesResponseSchema)),
    onSuccess: async (answer) => {
      setRecoveryCodes(answer.recovery_codes);
      await refresh();
    },
  });

  const mfaEnabled = user?.mfa_enabled === true;
  const { mutate: begin } = setup;
  useEffect(() => {
    // One secret per visit, also under StrictMode's double effects.
    if (started.current || user === null || mfaEnabled) return;
    started.current = true;
    begin();
  }, [user, mfaEnabled, begin]);

  if (user === null) return <LoadingStatus label="Checking your session…" />;

  if (recoveryCodes !== null) {
    return (
      <Stack gap="md" maw={560}>
        <Title order={1}>Save your recovery codes</Title>
        <SuccessAlert title="Two-factor authentication is on">
          From now on you will enter a code from your authenticator app when you sign in.
        </SuccessAlert>
        <Text>
          If you lose your phone, each of these codes lets you sign in once. Store them somewhere
          safe, such as a password manager. They will not be shown again.
        </Text>
        <RecoveryCodeList codes={recoveryCodes} />
        <Button
          w="fit-content"
          onClick={() => {
            void navigate('/');
          }}
        >
          I have saved these codes
        </Button>
      </Stack>
    );
  }

  if (mfaEnabled) {
    return (
      <Stack gap="md" maw={560}>
        <Title order={1}>Two-factor authentication</Title>
        <Text>Two-factor authentication is already on for your account.</Text>
        <Text>
          <Anchor component={Link} to="/account">
            Manage it on your account page
          </Anchor>
        </Text>
      </Stack>
    );
  }

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const normalised = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(normalised)) {
      setCodeError('Enter the 6-digit code shown in your authenticator app.');
      codeRef.current?.focus();
      return;
    }
    setCodeError(undefined);
    enable.mutate({ code: normalised });
  };

  return (
    <Stack gap="md" maw={620}>
      <Title order={1}>Set up two-factor authentication</Title>
      {user.mfa_enrolment_required && (
        <InfoAlert title="Required for your role">
          Your role ({ROLE_LABELS[effectiveRole(user)]}) requires two-factor authentication. Set it
          up now to continue using Umbrella Hub.
        </InfoAlert>
      )}
      <Text>
        Two-factor authentication protects your account with a code from an app on your phone (for
        example 1Password, Google Authenticator, Microsoft Authenticator or Aegis) in addition to
        your password.
      </Text>

      <RequestError error={setup.error} />
      {setup.isPending && <LoadingStatus label="Creating your setup key…" />}
      {(setup.isError || setup.isIdle) && (
        <Button
          w="fit-content"
          onClick={() => {
            setup.mutate();
          }}
        >
          Start setup
        </Button>
      )}

      {setup.isSuccess && (
        <Paper withBorder p="lg" radius="md">
          <Stack gap="md">
            <Title order={2} size="h3">
              1. Add Umbrella Hub to your app
            </Title>
            <Text>Scan this QR code with your authenticator app:</Text>
            <Image src={setup.data.qr} alt={QR_ALT} w={220} h={220} fit="contain" />
            <Text>If you cannot scan it, enter this setup key in the app by hand:</Text>
            <TextInput
              label="Setup key"
              value={setup.data.secret}
              readOnly
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              onFocus={(event) => {
                event.currentTarget.select();
              }}
            />
            <List size="sm">
              <List.Item>Type: time-based (TOTP), 6 digits, every 30 seconds.</List.Item>
            </List>

            <Title order={2} size="h3">
              2. Enter the code from the app
            </Title>
            <form onSubmit={onSubmit} noValidate>
              <Stack gap="md">
                <RequestError error={enable.error} />
                <TextInput
                  ref={codeRef}
                  label="Authentication code"
                  description="The 6-digit code your app shows for Umbrella Hub."
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                  withAsterisk={false}
                  maw={240}
                  value={code}
                  error={codeError ?? serverFieldErrors(enable.error).code}
                  onChange={(event) => {
                    setCode(event.currentTarget.value);
                  }}
                />
                <Group>
                  <Button type="submit" loading={enable.isPending}>
                    Enable two-factor authentication
                  </Button>
                </Group>
              </Stack>
            </form>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
