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
import { SignInPage } from './features/identity/SignInPage';
import { HubShell } from './layout/HubShell';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { TOOLS } from './tools';

// ECharts is large: chart pages are loaded on demand so the shell stays small.
const DevChartsPage = lazy(() =>
  import('./pages/DevChartsPage').then((module) => ({ default: module.DevChartsPage })),
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
      ...TOOLS.map((tool) => ({ path: tool.path, element: <ComingSoonPage title={tool.title} /> })),
      { path: '/admin', element: <ComingSoonPage title="Admin" /> },
      { path: '/sign-in', element: <SignInPage /> },
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
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
