/** The local HubSpot sandbox: see README.md in this folder. */
export { createSandbox, type Sandbox, type SandboxOptions } from './create-sandbox';
export type { Scenario, ActivityType } from './scenario';
export type { SeedSummary } from './seed-portal';
export type { SandboxStats, PortalStats, EndpointStats, WebhookStats } from './stats';
export type { FaultOptions } from './faults';
export type { CardFetchInput, CardFetchResponse } from './card-fetch';
export type { InstallResult } from './install-app';
export type { WebhookEvent } from './webhook-subscriptions';
export type { DeliveryAttempt, FlushResult, WebhookDeliveryOptions } from './webhook-delivery';
export { createScaledClock, type SandboxClock } from './sandbox-clock';
