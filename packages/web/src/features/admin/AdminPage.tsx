import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, Route, Routes, useLocation, useParams } from 'react-router';
import { useSession } from '../identity/session';
import { MarginStatsPanel } from '../margin/MarginStatsPanel';
import { MarketImportPanel } from '../market/MarketImportPanel';
import { isAdmin, sectionHref, sectionOf, splatBase, visibleSections } from './adminHelpers';
import { LoadingState } from './adminUi';
import { ApprovalQueue } from './ApprovalQueue';
import { AuditPanel } from './AuditPanel';
import { InvitationsPanel } from './InvitationsPanel';
import { LoginAuditPanel } from './LoginAuditPanel';
import { OutboxPanel } from './OutboxPanel';
import { SessionsPanel } from './SessionsPanel';
import { TemplatesPanel } from './TemplatesPanel';
import { UsersPanel } from './UsersPanel';

/**
 * The admin area (/admin/*), for managers and admins (App.tsx guards it). Managers see the
 * approval queue, the read-only user directory and their invitations (D13); the other sections
 * are admin-only and hidden from them.
 */
export function AdminPage() {
  const { user, isLoading } = useSession();
  const { pathname } = useLocation();
  const splat = useParams()['*'] ?? '';

  if (isLoading) return <LoadingState label="Loading your account…" />;
  if (user === null) {
    return (
      <Alert color="red" variant="light" title="Sign in required">
        Sign in as a manager or an admin to use the admin area.
      </Alert>
    );
  }

  const admin = isAdmin(user);
  const base = splatBase(pathname, splat);
  const current = sectionOf(splat);
  const adminOnly = (element: ReactNode) => (admin ? element : <AdminOnly />);

  return (
    <Stack gap="lg">
      <Title order={1}>Admin</Title>
      <nav aria-label="Admin sections">
        <Group gap="xs">
          {visibleSections(admin).map((section) => {
            const active = section.path === current;
            return (
              <Button
                key={section.path}
                component={Link}
                to={sectionHref(base, section.path)}
                size="sm"
                variant={active ? 'filled' : 'default'}
                aria-current={active ? 'page' : undefined}
              >
                {section.label}
              </Button>
            );
          })}
        </Group>
      </nav>
      <Routes>
        <Route index element={<ApprovalQueue viewer={user} />} />
        <Route path="users" element={<UsersPanel viewer={user} admin={admin} />} />
        <Route path="invitations" element={<InvitationsPanel viewer={user} />} />
        <Route path="templates" element={adminOnly(<TemplatesPanel />)} />
        <Route path="sessions" element={adminOnly(<SessionsPanel />)} />
        <Route path="login-audit" element={adminOnly(<LoginAuditPanel />)} />
        <Route path="audit" element={adminOnly(<AuditPanel />)} />
        <Route path="outbox" element={adminOnly(<OutboxPanel />)} />
        <Route path="market-data" element={adminOnly(<MarketImportPanel />)} />
        <Route path="margin" element={adminOnly(<MarginStatsPanel />)} />
        <Route path="*" element={<UnknownSection base={base} />} />
      </Routes>
    </Stack>
  );
}

function AdminOnly() {
  return (
    <Alert color="blue" variant="light" title="Admins only" role="note">
      This section is open to admins only.
    </Alert>
  );
}

function UnknownSection({ base }: { base: string }) {
  return (
    <Stack gap="sm">
      <Title order={2}>Section not found</Title>
      <Text>
        There is no such admin section. <Link to={base}>Go to the approval queue</Link>
      </Text>
    </Stack>
  );
}
