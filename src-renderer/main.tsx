// The window's entry: picks the admin API's carrier (Electron IPC when the preload put it there, else
// HTTP to the Gatehouse that served this page) and renders the app. Nothing past here knows which.
import '@mantine/core/styles.css';
import { createRoot } from 'react-dom/client';
import { createApiClient, httpTransport, ipcTransport, type IpcBridge } from '../src-shared/api/index.js';
import { App } from './app/App.js';

declare global {
  interface Window {
    gatehouse?: IpcBridge;
  }
}

const transport = window.gatehouse ? ipcTransport(window.gatehouse) : httpTransport({ baseUrl: '' });
createRoot(document.getElementById('root')!).render(<App api={createApiClient(transport)} />);
