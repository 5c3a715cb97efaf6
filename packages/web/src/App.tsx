import {
  createTheme,
  Group,
  Loader,
  MantineProvider,
  Text,
  type CSSVariablesResolver,
} from '@mantine/core';
import { lazy, Suspense } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { AccountPage } from './features/identity/AccountPage';
import { ConfirmEmailPage } from './features/identity/ConfirmEmailPage';
import { ExportPage } from './features/identity/ExportPage';
import { ForgotPasswordPage } from './features/identity/ForgotPasswordPage';
import { InvitePage } from './features/identity/InvitePage';
import { RequestAccessPage } from './features/identity/RequestAccessPage';
import { RequestAccessVerifyPage } from './features/identity/RequestAccessVerifyPage';
import { ResetPasswordPage } from './features/identity/ResetPasswordPage';
import { ReauthProvider, RequireRole } from './features/identity/session';
import { SignInPage } from './features/identity/SignInPage';
import { HubShell } from './layout/HubShell';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { MARKET_DATA_PAGE, TOOLS } from './tools';

// ECharts is large: chart pages are loaded on demand so the shell stays small.
const DevChartsPage = lazy(() =>
  import('./pages/DevChartsPage').then((module) => ({ default: module.DevChartsPage })),
);
// The admin area and the MFA enrolment page (with its QR code encoder) load on demand too.
const AdminPage = lazy(() =>
  import('./features/admin/AdminPage').then((module) => ({ default: module.AdminPage })),
);
const MarketDataPage = lazy(() =>
  import('./features/market/MarketDataPage').then((module) => ({
    default: module.MarketDataPage,
  })),
);
const MarginCalculatorPage = lazy(() =>
  import('./features/margin/MarginCalculatorPage').then((module) => ({
    default: module.MarginCalculatorPage,
  })),
);
const MfaSetupPage = lazy(() =>
  import('./features/identity/MfaSetupPage').then((module) => ({ default: module.MfaSetupPage })),
);

function PageLoader() {
  return (
    <Group role="status" gap="sm">
      <Loader size="sm" />
      <Text>Loading the page…</Text>
    </Group>
  );
}

/** Shade 8 keeps white-on-primary text above the WCAG AA contrast ratio of 4.5:1. */
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
});

/** Error and dimmed text one shade darker than Mantine's defaults, which fail AA on white. */
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // The title of a green "light" Alert (success messages): green-9 on green-1 is below 4.5:1.
    '--mantine-color-green-light-color': '#1b6b2c',
  },
  dark: {},
});

const MAX_RETRIES = 2;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer will not change on retry; network failures and 5xx may.
      retry: (failureCount, error) =>
        failureCount < MAX_RETRIES &&
        !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter([
  {
    path: '/',
    element: <HubShell />,
    children: [
      { index: true, element: <HomePage /> },
      ...TOOLS.filter((tool) => tool.id !== 'margin').map((tool) => ({
        path: tool.path,
        element: <ComingSoonPage title={tool.title} />,
      })),
      {
        path: '/margin',
        element: (
          <RequireRole role="viewer">
            <Suspense fallback={<PageLoader />}>
              <MarginCalculatorPage />
            </Suspense>
          </RequireRole>
        ),
      },
      {
        path: '/admin/*',
        element: (
          <RequireRole role="manager">
            <Suspense fallback={<PageLoader />}>
              <AdminPage />
            </Suspense>
          </RequireRole>
        ),
      },
      {
        path: MARKET_DATA_PAGE.path,
        element: (
          <RequireRole role="viewer">
            <Suspense fallback={<PageLoader />}>
              <MarketDataPage />
            </Suspense>
          </RequireRole>
        ),
      },
      // Identity: public pages (sign-in and the pages of emailed links)…
      { path: '/sign-in', element: <SignInPage /> },
      { path: '/invite/:token', element: <InvitePage /> },
      { path: '/request-access', element: <RequestAccessPage /> },
      { path: '/request-access/verify', element: <RequestAccessVerifyPage /> },
      { path: '/forgot-password', element: <ForgotPasswordPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/confirm-email', element: <ConfirmEmailPage /> },
      { path: '/export', element: <ExportPage /> },
      // …and the signed-in user's own account.
      {
        path: '/account',
        element: (
          <RequireRole role="viewer">
            <AccountPage />
          </RequireRole>
        ),
      },
      {
        path: '/account/mfa',
        element: (
          <RequireRole role="viewer" allowDuringMfaEnrolment>
            <Suspense fallback={<PageLoader />}>
              <MfaSetupPage />
            </Suspense>
          </RequireRole>
        ),
      },
      {
        path: '/dev/charts',
        element: (
          <Suspense fallback={<PageLoader />}>
            <DevChartsPage />
          </Suspense>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <ReauthProvider>
          <RouterProvider router={router} />
        </ReauthProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
