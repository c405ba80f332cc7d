/**
 * HubSpot ids (portal, user, record) are stored as PostgreSQL bigint (int8). A digit
 * string beyond int8 makes the query fail with a 500, so every id that comes from a
 * path, a query or a signed URL is checked here before it reaches SQL.
 * https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-INT
 */
const INT8_MAX = 9223372036854775807n;

export function isInt8Id(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= INT8_MAX;
}
