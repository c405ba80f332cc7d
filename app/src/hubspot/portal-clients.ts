import { Client } from '@hubspot/api-client';
import type { TokenService } from './token-service';

/** The SDK API objects one portal's calls use. */
export interface PortalApis {
  objectsBatch: Client['crm']['objects']['batchApi'];
  objectsSearch: Client['crm']['objects']['searchApi'];
  associationsBatch: Client['crm']['associations']['v4']['batchApi'];
  owners: Client['crm']['owners']['ownersApi'];
  properties: Client['crm']['properties']['coreApi'];
  propertyGroups: Client['crm']['properties']['groupsApi'];
  marketingEvents: Client['marketing']['events']['basicApi'];
  participations: Client['marketing']['events']['retrieveParticipantStateApi'];
  forms: Client['marketing']['forms']['formsApi'];
  users: Client['settings']['users']['usersApi'];
  /** Plain GET for endpoints the SDK lacks; throws the SDK's error shape on non-2xx. */
  raw: (path: string) => Promise<unknown>;
}

export interface PortalClients {
  /** The portal's API objects, rebuilt only when its access token changed (refresh, re-install). */
  apisFor(portalId: string): Promise<PortalApis>;
  /**
   * HubSpot refused `apis`' token as expired (401 EXPIRED_AUTHENTICATION): replace it
   * (one refresh per portal, however many calls were refused). False when this client
   * cannot refresh (the install-time client holds only the token it was given).
   */
  refreshExpired(portalId: string, apis: PortalApis): Promise<boolean>;
}

/** One SDK client per portal, cached with the token it was built for. */
export function createPortalClients(deps: { tokens: Pick<TokenService, 'getAccessToken'> & Partial<Pick<TokenService, 'refreshNow'>>; apiBaseUrl: string }): PortalClients {
  const { tokens, apiBaseUrl } = deps;
  const clients = new Map<string, { token: string; apis: PortalApis }>();
  const tokenOf = new WeakMap<PortalApis, string>();

  function build(token: string): PortalApis {
    // No limiterOptions and no SDK retries: the SDK's limiter and retry decorators live
    // in a process-wide singleton (ApiDecoratorService) that the last `new Client()`
    // overwrites for everyone, so they cannot be per portal (docs/hubspot-platform.md
    // §5.4). The API objects are taken in the same synchronous
    // step as the constructor, which has just reset that registry to "no decorators".
    const client = new Client({ accessToken: token, basePath: apiBaseUrl, numberOfApiCallRetries: 0 });
    return {
      objectsBatch: client.crm.objects.batchApi,
      objectsSearch: client.crm.objects.searchApi,
      associationsBatch: client.crm.associations.v4.batchApi,
      owners: client.crm.owners.ownersApi,
      properties: client.crm.properties.coreApi,
      propertyGroups: client.crm.properties.groupsApi,
      marketingEvents: client.marketing.events.basicApi,
      participations: client.marketing.events.retrieveParticipantStateApi,
      forms: client.marketing.forms.formsApi,
      users: client.settings.users.usersApi,
      raw: async (path) => {
        const res = await fetch(`${apiBaseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
        const text = await res.text();
        if (!res.ok) {
          const headers: Record<string, string> = {};
          res.headers.forEach((value, name) => {
            headers[name] = value;
          });
          // Same shape as the SDK's ApiException, so one classifier handles both.
          throw { code: res.status, body: text, headers };
        }
        return text ? (JSON.parse(text) as unknown) : {};
      },
    };
  }

  return {
    async apisFor(portalId) {
      // Throws InstallNotActiveError for uninstalled/disconnected portals: the caller pauses that portal.
      const token = await tokens.getAccessToken(portalId);
      const cached = clients.get(portalId);
      if (cached && cached.token === token) return cached.apis;
      const apis = build(token);
      tokenOf.set(apis, token);
      clients.set(portalId, { token, apis });
      return apis;
    },
    async refreshExpired(portalId, apis) {
      const rejected = tokenOf.get(apis);
      if (!tokens.refreshNow || rejected === undefined) return false;
      await tokens.refreshNow(portalId, rejected);
      return true;
    },
  };
}
