/** The routing panel's calls (issue 17): the path and ladder of a contact, and 「不在設定」. */
import type { ApiResult } from '@tossup/shared/card-dto';
import type { OutOfOfficeListView, RoutingPanelView } from '@tossup/shared/routing-dto';
import { createApiCall, newIdempotencyKey, type ApiClientOptions } from './card-api-client';

export interface RoutingApiClient {
  getRouting(contactId: string): Promise<ApiResult<RoutingPanelView>>;
  listOutOfOffice(): Promise<ApiResult<OutOfOfficeListView>>;
  addOutOfOffice(input: { from: string; to: string; note?: string; ownerId?: string }): Promise<ApiResult<OutOfOfficeListView>>;
  removeOutOfOffice(id: string): Promise<ApiResult<OutOfOfficeListView>>;
}

export function createRoutingApiClient(options: ApiClientOptions = {}): RoutingApiClient {
  const call = createApiCall(options);
  const newKey = options.newKey ?? newIdempotencyKey;
  const enc = encodeURIComponent;
  return {
    getRouting: (contactId) => call('GET', `/contacts/${enc(contactId)}/routing`),
    listOutOfOffice: () => call('GET', '/out-of-office'),
    addOutOfOffice: (input) => call('POST', '/out-of-office', { idempotencyKey: newKey(), ...input }),
    removeOutOfOffice: (id) => call('POST', `/out-of-office/${enc(id)}/delete`, { idempotencyKey: newKey() }),
  };
}
