// The window's preload script: puts the admin API on `window.gatehouse`, one function per method.
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcBridge } from './ipc/index.js';

contextBridge.exposeInMainWorld('gatehouse', createIpcBridge(ipcRenderer));
