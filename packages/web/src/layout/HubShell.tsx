import { Anchor, AppShell, Badge, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Navigate, Outlet, useLocation } from 'react-router';
import { useMeta } from '../api/meta';
import { RequestError } from '../features/identity/components';
import { hasRole, openDuringMfaEnrolment } from '../features/identity/helpers';
import { useSession, useSignOut } from '../features/identity/session';
import { MARKET_DATA_PAGE, TOOLS } from '../tools';

interface NavItem {
  label: string;
  path: string;
  comingSoon: boolean;
}

/**
 * The hub's frame: header (with the signed-in user and sign-out), navigation to the four tools
 * and, for managers and admins, the admin area; page outlet, footer.
 */
export function HubShell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const meta = useMeta();
  const { user, isLoading } = useSession();
  const signOut = useSignOut();

  const unavailable = new Set(
    (meta.data?.tools ?? []).filter((tool) => !tool.available).map((tool) => tool.id),
  );
  const items: NavItem[] = [
    ...TOOLS.map((tool) => ({
      label: tool.title,
      path: tool.path,
      comingSoon: unavailable.has(tool.id),
    })),
    // Market data is for signed-in users (viewers and up), like the API behind it.
    ...(user !== null
      ? [{ label: MARKET_DATA_PAGE.title, path: MARKET_DATA_PAGE.path, comingSoon: false }]
      : []),
    ...(user !== null && hasRole(user, 'manager')
      ? [{ label: 'Admin', path: '/admin', comingSoon: false }]
      : []),
  ];
  // D8: a user whose role requires MFA enrols before using anything else.
  const mustEnrol = user?.mfa_enrolment_required === true && !openDuringMfaEnrolment(pathname);

  let footer = 'Umbrella Hub';
  if (meta.data !== undefined) footer = `${meta.data.name} version ${meta.data.version}`;
  else if (meta.isError) footer = 'Umbrella Hub (version unavailable: the server did not answer)';

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 270, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      footer={{ height: 40 }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Anchor component={Link} to="/" fw={700} size="lg" c="dark.9" underline="never">
              Umbrella Hub
            </Anchor>
          </Group>
          {user !== null ? (
            <Group gap="sm" wrap="nowrap">
              <Text size="sm" visibleFrom="sm" truncate="end" maw={260} title={user.email}>
                {user.email}
              </Text>
              <Anchor
                component={Link}
                to="/account"
                fw={500}
                aria-current={pathname === '/account' ? 'page' : undefined}
              >
                Account
              </Anchor>
              <Button
                size="xs"
                variant="default"
                loading={signOut.isPending}
                onClick={() => {
                  signOut.mutate();
                }}
              >
                Sign out
              </Button>
            </Group>
          ) : (
            !isLoading && (
              <Anchor component={Link} to="/sign-in" fw={500}>
                Sign in
              </Anchor>
            )
          )}
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {items.map((item) => (
          <NavLink
            key={item.path}
            component={Link}
            to={item.path}
            label={item.label}
            active={pathname === item.path || pathname.startsWith(`${item.path}/`)}
            aria-current={pathname === item.path ? 'page' : undefined}
            onClick={close}
            rightSection={
              item.comingSoon ? (
                <Badge size="xs" variant="outline" color="gray.7">
                  coming soon
                </Badge>
              ) : undefined
            }
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        {signOut.error !== null && <RequestError error={signOut.error} />}
        {mustEnrol ? <Navigate to="/account/mfa" replace /> : <Outlet />}
      </AppShell.Main>

      <AppShell.Footer px="md">
        <Group h="100%" align="center">
          <Text size="sm" c="gray.7" data-testid="app-version">
            {footer}
          </Text>
        </Group>
      </AppShell.Footer>
    </AppShell>
  );
}
