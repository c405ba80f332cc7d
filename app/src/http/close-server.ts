import type { Server } from 'node:http';

/**
 * Graceful HTTP stop: refuse new connections, let requests in flight finish, and
 * after drainMs cut whatever is still open (a stuck client cannot hold the
 * shutdown). server.close() already drops idle keep-alive connections (Node >= 19).
 */
export async function closeServer(server: Server, drainMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const cut = setTimeout(() => server.closeAllConnections(), drainMs);
  cut.unref();
  await closed;
  clearTimeout(cut);
}
