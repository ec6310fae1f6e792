// The window: theme, data cache, live events, and the shell with its pages. A browser that has not
// signed in is told how to.
import { Anchor, MantineProvider, Modal, Notification, createTheme, darken, type CSSVariablesResolver } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import '@mantine/notifications/styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiClient } from '../../src-shared/api/index.js';
import { ApiProvider } from '../api/context.js';
import { Shell } from './Shell.js';
import './app.css';

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", Menlo, Consolas, monospace',
  defaultRadius: 'md',
  // Every pairing of text and background at WCAG AA (4.5:1): the darkest shade for filled colours (text
  // on them picks black or white by contrast), darker text on light badges, dimmed text a step darker,
  // and links underlined so they stand apart from the text around them.
  autoContrast: true,
  primaryShade: 9,
  components: {
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // A dialog's or a notice's close button is an icon: it needs a name. A notice's words are dimmed text,
    // at its contrast (Mantine's own grey is 3.3:1 on white).
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close notice' } }, styles: { description: { color: 'var(--mantine-color-dimmed)' } } }),
  },
});

const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    ...Object.fromEntries(Object.entries(t.colors).map(([name, shades]) => [`--mantine-color-${name}-light-color`, darken(shades[9], 0.3)])),
  },
  dark: { '--mantine-color-dimmed': t.colors.dark[1], '--mantine-color-anchor': t.colors.indigo[3] },
});

export function App({ api }: { api: ApiClient }) {
  const [queries] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          // Freshness comes from the event stream, not from polling.
          queries: { staleTime: 30_000, retry: (count, err) => count < 2 && (err as { code?: string }).code !== 'unauthorized', refetchOnWindowFocus: false },
        },
      }),
  );
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={contrast}>
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queries}>
        <ApiProvider api={api}>
          <Shell />
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
