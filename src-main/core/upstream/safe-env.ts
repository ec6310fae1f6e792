// The part of the proxy's environment a stdio server inherits: enough to find programs and a home,
// nothing else (no tokens or keys the proxy happens to have).
const POSIX = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ'];
const WINDOWS = [
  'APPDATA', 'HOMEDRIVE', 'HOMEPATH', 'LOCALAPPDATA', 'PATH', 'PATHEXT', 'PROCESSOR_ARCHITECTURE',
  'SYSTEMDRIVE', 'SYSTEMROOT', 'TEMP', 'TMP', 'USERNAME', 'USERPROFILE', 'PROGRAMFILES', 'COMSPEC',
];

export function safeBaseEnvironment(env: NodeJS.ProcessEnv = process.env, platform = process.platform): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of platform === 'win32' ? WINDOWS : POSIX) {
    const value = env[key];
    // Shell functions exported by bash look like "() {...}": never pass those on.
    if (value !== undefined && !value.startsWith('()')) out[key] = value;
  }
  return out;
}
