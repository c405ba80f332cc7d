/**
 * The layers of tossup and what each may import (docs/architecture.md, "Rules").
 * Lower layers never import higher ones; modules of one tier (the edges: worker,
 * SLA, card API, webhooks, backfill) never import each other. The checker
 * (check-dependencies.ts) runs in `npm test` (test/architecture).
 */
export interface Layer {
  name: string;
  /** Path prefixes (relative to the repository root, '/' separated) that belong to the layer. */
  paths: string[];
  /** Layers this one may import, besides itself. */
  mayImport: string[];
}

const CORE = ['shared', 'platform', 'domain'];
const DATA = [...CORE, 'storage', 'hubspot'];
const SERVICES = [...DATA, 'oauth', 'engine'];
const EDGES = ['worker', 'sla', 'card-api', 'webhooks', 'backfill'];

export const LAYERS: Layer[] = [
  { name: 'shared', paths: ['extensions/shared/src/'], mayImport: [] },
  { name: 'ui', paths: ['extensions/ui/src/'], mayImport: ['shared'] },
  // Example card states for the UI tests and the preview; not uploaded (the package uploads src/ only).
  { name: 'ui-fixtures', paths: ['extensions/ui/fixtures/'], mayImport: ['ui', 'shared'] },
  { name: 'hubspot-entries', paths: ['src/app/'], mayImport: ['ui', 'shared'] },
  { name: 'platform', paths: ['app/src/platform/'], mayImport: ['shared'] },
  { name: 'domain', paths: ['app/src/domain/'], mayImport: ['shared'] },
  { name: 'storage', paths: ['app/src/storage/'], mayImport: CORE },
  { name: 'hubspot', paths: ['app/src/hubspot/'], mayImport: [...CORE, 'storage'] },
  { name: 'oauth', paths: ['app/src/oauth/'], mayImport: DATA },
  { name: 'engine', paths: ['app/src/engine/'], mayImport: DATA },
  ...EDGES.map((name) => ({ name, paths: [`app/src/${name}/`], mayImport: SERVICES })),
  { name: 'http', paths: ['app/src/http/'], mayImport: [...SERVICES, ...EDGES] },
  // Entry points build every service; in sandbox mode they start the local HubSpot stand-in.
  { name: 'composition', paths: ['app/src/composition/', 'app/src/main.ts'], mayImport: [...SERVICES, ...EDGES, 'http', 'dev-sandbox'] },
  { name: 'dev-sandbox', paths: ['app/dev/sandbox/'], mayImport: ['platform', 'composition', 'dev', 'ui', 'shared', 'domain'] },
  // Tooling (preview, project check, bench, demo) uses the product; the product never uses it.
  {
    name: 'dev',
    paths: ['app/dev/'],
    mayImport: [...SERVICES, ...EDGES, 'http', 'composition', 'dev-sandbox', 'ui', 'ui-fixtures', 'hubspot-entries'],
  },
  // Tests may import anything; nothing may import tests.
  { name: 'test', paths: ['app/test/', 'extensions/ui/test/', 'extensions/shared/test/', 'test/'], mayImport: ['*'] },
];
