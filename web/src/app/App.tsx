import { Suspense } from 'react';
import { createTheme, localStorageColorSchemeManager, Loader, Center, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { ApiError } from './api';
import { FeaturesContext } from './feature';
import { buildRoutes, features } from './routes';

const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 keeps links and filled buttons above 4.5:1 contrast on white.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Client errors do not get better by retrying; network blips do.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});

const router = createBrowserRouter(buildRoutes());
const colorSchemeManager = localStorageColorSchemeManager({ key: 'raving-color-scheme' });

export function Loading() {
  return (
    <Center h="100%" p="xl">
      <Loader aria-label="Loading" />
    </Center>
  );
}

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" colorSchemeManager={colorSchemeManager}>
      <QueryClientProvider client={queryClient}>
        <FeaturesContext.Provider value={features}>
          <Suspense fallback={<Loading />}>
            <RouterProvider router={router} />
          </Suspense>
        </FeaturesContext.Provider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
