import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error bodies. CRM APIs answer `{status:"error", message, correlationId,
 * category, ...}`; rate limits add `errorType` and `policyName`.
 * https://developers.hubspot.com/docs/guides/api/error-handling
 *
 * Handlers throw SandboxHttpError; the router turns it into the response.
 */
export class SandboxHttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly body: Record<string, unknown>,
    public readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
    this.name = 'SandboxHttpError';
  }
}

export function hubspotError(status: number, category: string, message: string, extra: Record<string, unknown> = {}): SandboxHttpError {
  return new SandboxHttpError(status, { status: 'error', message, correlationId: randomUUID(), category, ...extra });
}

export function validationError(message: string, extra: Record<string, unknown> = {}): SandboxHttpError {
  return hubspotError(400, 'VALIDATION_ERROR', message, extra);
}

export function notFound(message: string, extra: Record<string, unknown> = {}): SandboxHttpError {
  return hubspotError(404, 'OBJECT_NOT_FOUND', message, extra);
}

/** One failed property of a write, in the shape HubSpot embeds in "Property values were not valid". */
export interface PropertyValidationProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

export function propertyProblem(portalId: number, name: string, error: string, message: string): PropertyValidationProblem {
  return { isValid: false, message, error, name, localizedErrorMessage: message, portalId };
}

export function propertyValuesNotValid(problems: PropertyValidationProblem[]): SandboxHttpError {
  return validationError(`Property values were not valid: ${JSON.stringify(problems)}`);
}

/** HubSpot's 10-second rolling limit (OAuth apps: 110 per 10 s per installing account). */
export function tenSecondlyRateLimited(headers: Record<string, string>): SandboxHttpError {
  return new SandboxHttpError(
    429,
    {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: 'TEN_SECONDLY_ROLLING',
    },
    headers,
  );
}

/** The CRM search limit (5 requests per second per account); @hubspot/api-client matches this exact message. */
export function searchRateLimited(): SandboxHttpError {
  return new SandboxHttpError(429, {
    status: 'error',
    message: 'You have reached your secondly limit.',
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: 'SECONDLY',
  });
}
