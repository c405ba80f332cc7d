/**
 * What to do when PostgreSQL refuses the first connection, by the server's error
 * code (https://www.postgresql.org/docs/current/errcodes-appendix.html) or the
 * socket's: a missing database gets the command that creates it, a refused login
 * the user and password to check, an unreachable server the host and port.
 */
export function postgresFix(err: unknown, url: string): string {
  const code = (err as { code?: unknown }).code;
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    u = undefined;
  }
  const db = decodeURIComponent(u?.pathname.replace(/^\//, '') ?? '') || 'tossup';
  const host = u?.hostname || '127.0.0.1';
  const port = u?.port || '5432';
  const user = decodeURIComponent(u?.username ?? '') || 'postgres';
  if (code === '3D000') {
    return `The database "${db}" does not exist; create it with: createdb -h ${host} -p ${port} -U ${user} ${db}   (データベース "${db}" がありません。上のコマンドで作成してください)`;
  }
  if (code === '28P01' || code === '28000') {
    return `PostgreSQL refused the login of user "${user}"; check the user and password in DATABASE_URL (ユーザー名とパスワードを確認してください)`;
  }
  return `Check that the server is running at ${host}:${port} and the URL is right, or unset DATABASE_URL to use the embedded database (サーバーが起動しているか、URL が正しいか確認してください。DATABASE_URL を外すと組み込みDBを使います)`;
}
