/**
 * One line for a port someone else already listens on (EADDRINUSE from listen()),
 * naming the variable that moves it: SANDBOX_PORT for the sandbox of `npm start`,
 * PORT for the backend. Undefined for any other error.
 */
export function portInUse(err: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const e = err as { code?: unknown; port?: unknown } | null;
  if (!e || e.code !== 'EADDRINUSE') return undefined;
  const port = typeof e.port === 'number' ? e.port : undefined;
  const sandboxPort = Number(env.SANDBOX_PORT || 3100);
  const variable = port !== undefined && port === sandboxPort && env.HUBSPOT_CLIENT_ID === undefined ? 'SANDBOX_PORT' : 'PORT';
  const shown = port ?? (variable === 'PORT' ? env.PORT || '3000' : sandboxPort);
  return `tossup: port ${shown} is already in use; stop what listens there or set ${variable} to a free port (e.g. ${variable}=${Number(shown) + 10} npm start) / ポート ${shown} は使用中です。${variable} で別のポートを指定してください`;
}
