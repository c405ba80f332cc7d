/**
 * Reading HubSpot property values, which always arrive as strings: datetimes as ISO
 * 8601 or epoch-ms strings depending on the endpoint, booleans as "true"/"false",
 * numbers as decimal strings (possibly empty).
 */
export function parseHubSpotTime(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

export function parseHubSpotNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function parseHubSpotBool(value: string | null | undefined): boolean {
  return value === 'true';
}

export function isBlank(value: string | null | undefined): boolean {
  return value === null || value === undefined || value.trim() === '';
}

/** How the engine writes datetimes: ISO 8601 UTC, accepted by every CRM endpoint. */
export function formatHubSpotTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Numbers with at most one decimal, as HubSpot shows them. */
export function formatHubSpotNumber(n: number): string {
  return String(Math.round(n * 10) / 10);
}
