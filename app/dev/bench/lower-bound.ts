import { awaitsDeal, needsHistory } from '../../src/engine/build-snapshots';
import { BATCH_LIMIT, BATCH_LIMIT_WITH_HISTORY, OWNERS_PAGE_SIZE } from '../../src/hubspot/hubspot-limits';
import type { PortalState } from '../sandbox/portal-state';

/**
 * The honest lower bound C_min (README.md, "Lower bound on API calls"): every read and
 * write the contract requires for one portal's burst, each batched at HubSpot's limit
 * (app/src/hubspot/hubspot-limits.ts), every contact evaluated once. Which contacts need
 * history or deal reads is decided by the same predicates the snapshot builder uses
 * (app/src/engine/build-snapshots.ts), applied to the contacts' state before the burst.
 */
export interface CMinTerms {
  /** ⌈K/100⌉ contact batch reads. */
  contactReads: number;
  /** ⌈H/50⌉ history reads (propertiesWithHistory): hand-off candidates and multiple unrecorded conversions. */
  historyReads: number;
  /** ⌈C/100⌉ primary-company batch reads, C = distinct associatedcompanyid among the K contacts (attribute scoring). */
  companyReads: number;
  /**
   * ⌈D/100⌉ v4 association reads contact→deals + ⌈deals/100⌉ deal batch reads, D = the burst's hand-offs
   * (their open deal, app/src/engine/open-deals.ts) and handed-off contacts awaiting a deal (deal attribution).
   */
  dealReads: number;
  /** ⌈U/100⌉ contact batch updates. */
  contactUpdates: number;
  /** ⌈T/100⌉ task batch creates (associations inline). */
  taskCreates: number;
  /** ⌈N/100⌉ note batch creates (associations inline). */
  noteCreates: number;
  /** Owners (⌈owners/500⌉ pages), lifecycle stages, time zone: once per portal per burst. */
  directoryReads: number;
}

export const C_MIN_FORMULA =
  'C_min = Σ_portals ⌈K/100⌉ contacts + ⌈H/50⌉ history + ⌈C/100⌉ companies + (⌈D/100⌉ + ⌈deals/100⌉) deals of hand-offs + ⌈U/100⌉ updates + ⌈T/100⌉ tasks + ⌈N/100⌉ notes + (⌈owners/500⌉ + 2) directory';

const batches = (n: number, size = BATCH_LIMIT) => Math.ceil(n / size);

export function portalLowerBound(
  portal: PortalState,
  initial: Map<string, Record<string, string>>,
  planned: { U: number; T: number; notes: number; handoffs: readonly string[] },
): CMinTerms {
  const contacts = [...initial].map(([id, properties]) => ({ id, properties }));
  const companies = new Set(contacts.map((c) => c.properties.associatedcompanyid).filter((v): v is string => !!v));
  const dealReaders = new Set([...contacts.filter(awaitsDeal).map((c) => c.id), ...planned.handoffs]);
  const deals = new Set(
    [...dealReaders].flatMap((id) =>
      Object.keys(portal.associations[`contacts:${id}`] ?? {})
        .filter((k) => k.startsWith('deals:'))
        .map((k) => k.slice('deals:'.length)),
    ),
  );
  return {
    contactReads: batches(contacts.length),
    historyReads: batches(contacts.filter((c) => needsHistory(c, [])).length, BATCH_LIMIT_WITH_HISTORY),
    companyReads: batches(companies.size),
    dealReads: batches(dealReaders.size) + batches(deals.size),
    contactUpdates: batches(planned.U),
    taskCreates: batches(planned.T),
    noteCreates: batches(planned.notes),
    directoryReads: Math.max(1, batches(portal.owners.length, OWNERS_PAGE_SIZE)) + 2,
  };
}

export function emptyTerms(): CMinTerms {
  return { contactReads: 0, historyReads: 0, companyReads: 0, dealReads: 0, contactUpdates: 0, taskCreates: 0, noteCreates: 0, directoryReads: 0 };
}

export function addTerms(a: CMinTerms, b: CMinTerms): CMinTerms {
  const out = emptyTerms();
  for (const k of Object.keys(out) as (keyof CMinTerms)[]) out[k] = a[k] + b[k];
  return out;
}

export function sumTerms(t: CMinTerms): number {
  return Object.values(t).reduce((n, v) => n + v, 0);
}

/** `contacts 20 + history 0 + companies 3 + …` for the console and the table. */
export function describeTerms(t: CMinTerms): string {
  const label: Record<keyof CMinTerms, string> = {
    contactReads: 'contacts',
    historyReads: 'history',
    companyReads: 'companies',
    dealReads: 'deals',
    contactUpdates: 'updates',
    taskCreates: 'tasks',
    noteCreates: 'notes',
    directoryReads: 'directory',
  };
  return (Object.keys(label) as (keyof CMinTerms)[]).map((k) => `${label[k]} ${t[k]}`).join(' + ');
}

/** The endpoints of the directory term (app/src/hubspot/portal-reads.ts, served by app/dev/sandbox/directory-routes.ts). */
const DIRECTORY_ENDPOINTS = ['GET /crm/v3/owners', 'GET /crm/v3/properties/contacts/lifecyclestage', 'GET /account-info/v3/details'];

/**
 * The bound the measured window can be held to. The bench counts calls from just before
 * the warm-up (run-scenario.ts), after the install already read the directory into the
 * app's cache (app/src/engine/portal-directory.ts), so the directory term is replaced
 * by the directory reads the window actually holds (at most the term): otherwise a warm
 * cache would put the ratio under 1 and hide excess elsewhere.
 */
export function boundForWindow(cMin: number, terms: CMinTerms, endpoints: Readonly<Record<string, number>>): number {
  const measured = DIRECTORY_ENDPOINTS.reduce((n, e) => n + (endpoints[e] ?? 0), 0);
  return cMin - terms.directoryReads + Math.min(terms.directoryReads, measured);
}
