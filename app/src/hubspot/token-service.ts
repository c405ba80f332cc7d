/**
 * Access to a portal's OAuth access token for the gateway. Implemented in
 * oauth/create-token-service.ts: tokens are decrypted from the database, refreshed
 * proactively before expiry, one refresh at a time per portal (single flight).
 */
export interface TokenService {
  /**
   * A valid access token for the portal. Throws InstallNotActiveError when the
   * portal is not installed, was uninstalled, or its refresh token was revoked
   * (invalid_grant): its work must stop until it is re-installed.
   */
  getAccessToken(portalId: string): Promise<string>;
  /**
   * HubSpot answered 401 EXPIRED_AUTHENTICATION for `rejectedToken` although it had
   * not reached its recorded expiry (clock skew, early revocation): refresh now, one
   * refresh per portal however many calls were refused at once. Answers the token
   * to retry with, which is another caller's fresh token when it already replaced
   * the rejected one. Throws like getAccessToken.
   */
  refreshNow(portalId: string, rejectedToken: string): Promise<string>;
}

export class InstallNotActiveError extends Error {
  constructor(
    public readonly portalId: string,
    public readonly status: 'missing' | 'disconnected' | 'uninstalled',
  ) {
    super(
      `tossup: portal ${portalId} is ${status === 'missing' ? 'not installed' : status}; ` +
        'its work is paused until an admin (re)installs the app from /oauth/install',
    );
    this.name = 'InstallNotActiveError';
  }
}
