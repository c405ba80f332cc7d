/**
 * What the sandbox may ask of the app running next to it (sandbox mode only,
 * app/dev/sandbox/sandbox-mode.ts). HubSpot itself has no such channel: these hooks
 * stand in for time passing and for caches expiring, so a person playing the story
 * by hand (`npm run sandbox -- …`) sees each step processed at once.
 */
export interface AppHooks {
  /** Delivers pending webhooks and waits until the app's inbox has processed them. */
  settle(): Promise<AppSettleReport>;
  /** The shared clock moved: run the SLA sweep now instead of at the next minute. */
  clockAdvanced(): Promise<AppSettleReport>;
  /** A Marketing Events participation changed (HubSpot sends no webhook for it): refresh the stored ones now (only the changed event is read) and re-evaluate the contact. */
  participationChanged(portalId: number, contactId: string): Promise<AppSettleReport>;
}

export interface AppSettleReport {
  webhooksDelivered: number;
  /** Inbox events still waiting (a failure's backoff) when the wait ended. */
  pending: number;
  slaPlans?: number;
}
