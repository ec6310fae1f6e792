// Environment variables that change what a server runs, whatever its command says: they load other code into
// it, fetch its packages from elsewhere, or reroute its traffic (`npx some-server` with npm_config_registry
// set runs what that registry serves). The review names them; their values are part of how a server is
// started, so a changed one sends an approved server back to review. So does a changed address (a value
// written as a URL, such as API_BASE_URL): it says where the server sends what it is given, keys included.

const CHANGES_WHAT_RUNS: [RegExp, string][] = [
  [/^(NODE_OPTIONS|NODE_PATH|LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|DYLD_\w+|PYTHONPATH|PYTHONSTARTUP|PYTHONHOME|PERL5OPT|PERL5LIB|RUBYOPT|RUBYLIB|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|BASH_ENV|ENV|PATH)$/i, 'loads other code into it'],
  [/^(npm_config_\w+|NPM_CONFIG_\w+|YARN_\w*REGISTRY\w*|BUN_CONFIG_REGISTRY|PIP_INDEX_URL|PIP_EXTRA_INDEX_URL|PIP_FIND_LINKS|UV_INDEX_URL|UV_EXTRA_INDEX_URL|UV_DEFAULT_INDEX|UV_INDEX|UV_FIND_LINKS|PIPX_\w+|DENO_\w+|GOPROXY|GOFLAGS|CARGO_\w+|RUSTUP_\w+)$/, 'changes where its packages come from or how they are installed'],
  [/^(HTTPS?_PROXY|ALL_PROXY|NODE_TLS_REJECT_UNAUTHORIZED|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|GIT_SSH_COMMAND|GIT_CONFIG_\w+)$/i, 'changes where its traffic goes or which certificates it trusts'],
];

/** What setting this variable does to a server, in words ("loads other code into it"); undefined for an ordinary one. */
export function launchEnvEffect(name: string): string | undefined {
  return CHANGES_WHAT_RUNS.find(([pattern]) => pattern.test(name))?.[1];
}

const ADDRESS = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Where an address leads: its scheme, host, port and path, without the password or key it may carry. */
function destination(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return address;
  }
}

/**
 * The variables of an environment that change what runs (their values as written: a placeholder as a
 * placeholder, so a secret rotated in the keychain changes nothing) or where it sends things (the address's
 * destination: a password in it may be rotated); undefined when none.
 */
export function launchEnv(env: Record<string, string> | undefined): Record<string, string> | undefined {
  const found = Object.entries(env ?? {}).flatMap(([name, value]): [string, string][] =>
    launchEnvEffect(name) !== undefined ? [[name, value]] : ADDRESS.test(value) ? [[name, destination(value)]] : [],
  );
  return found.length ? Object.fromEntries(found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : undefined;
}
