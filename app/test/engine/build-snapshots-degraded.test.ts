import { describe, expect, it } from 'vitest';
import { describeOnBothBackends } from '../../../test/kit/use-test-database';
import { buildSnapshots } from '../../src/engine/build-snapshots';
import { findOpenDeals } from '../../src/engine/open-deals';
import { createEventParticipationProvider } from '../../src/engine/event-participations';
import { HubSpotApiError } from '../../src/hubspot/hubspot-errors';
import type { UnavailableSource } from '../../src/domain/types';
import { InstallNotActiveError } from '../../src/hubspot/token-service';
import { createManualClock } from '../../src/platform/clock';
import { upsertSlaClock } from '../../src/storage/sla-clock-store';
import { FakeHubSpot, PORTAL, T0 } from '../worker/worker-test-kit';

/** HubSpot's 403 for a scope the portal did not grant, as the gateway types it. */
function missingScope(operation: string, scope: string): HubSpotApiError {
  return new HubSpotApiError(operation, PORTAL, 'auth', 403, "This app hasn't been granted all required scopes to make this call.", {
    hubspotCategory: 'MISSING_SCOPES',
    requiredScopes: [scope],
  });
}

/** A fake HubSpot that refuses some sources and records what was reported. */
class DegradedHubSpot extends FakeHubSpot {
  refuse = new Map<string, Error>();
  reported: UnavailableSource[] = [];
  override async readCompanies(portalId: string, ids: readonly string[]) {
    const err = this.refuse.get('companies');
    if (err) throw err;
    return super.readCompanies(portalId, ids);
  }
  override async readAssociations(portalId: string, fromType: string, ids: readonly string[], toType: string) {
    const err = this.refuse.get(toType);
    if (err) throw err;
    return super.readAssociations(portalId, fromType, ids, toType);
  }
  override async listMarketingEvents() {
    const err = this.refuse.get('marketing_events');
    if (err) throw err;
    return super.listMarketingEvents();
  }
  reportUnavailable(_portalId: string, u: UnavailableSource) {
    this.reported.push(u);
  }
}

describeOnBothBackends('snapshots of a degraded portal (issue 11 §7)', (t) => {
  const clock = createManualClock(T0);
  function fake() {
    const hs = new DegradedHubSpot(t.db, clock);
    hs.contacts.set('1', { associatedcompanyid: '900', jobtitle: '部長' });
    hs.contacts.set('2', { jobtitle: '課長' });
    hs.companies.set('900', { numberofemployees: '850' });
    return hs;
  }

  it('companies refused: contacts with a company say so, the others are untouched; the gap is reported with its scope', async () => {
    const hs = fake();
    hs.refuse.set('companies', missingScope('companies.batch.read', 'crm.objects.companies.read'));
    const snaps = await buildSnapshots({ db: t.db, gateway: hs }, PORTAL, ['1', '2']);
    expect(snaps.get('1')?.company).toBeUndefined();
    expect(snaps.get('1')?.unavailable).toEqual([{ source: 'companies', reason: 'missing_scope', scope: 'crm.objects.companies.read' }]);
    expect(snaps.get('2')?.unavailable).toBeUndefined();
    expect(hs.reported).toEqual([{ source: 'companies', reason: 'missing_scope', scope: 'crm.objects.companies.read' }]);
  });

  it('e-mails refused for a contact whose SLA runs: the other engagement types are still read', async () => {
    const hs = fake();
    await t.db.query('delete from sla_clocks');
    await upsertSlaClock(
      t.db,
      PORTAL,
      '2',
      { handoffAt: T0, repOwnerId: '77', firstTouchDueAt: T0 + 1, statusUpdateDueAt: T0 + 2, firstTouchStatus: 'pending', statusUpdateStatus: 'pending', remindersSent: [], escalated: { firstTouch: false, statusUpdate: false } },
      T0,
      T0,
    );
    hs.associations.set('contacts:2:calls', ['c-1']);
    hs.refuse.set('emails', new Error('socket hang up'));
    const snaps = await buildSnapshots({ db: t.db, gateway: hs }, PORTAL, ['1', '2']);
    expect(snaps.get('2')?.activities?.map((a) => a.id)).toEqual(['c-1']);
    expect(snaps.get('2')?.unavailable).toEqual([{ source: 'emails', reason: 'error' }]);
    expect(snaps.get('1')?.unavailable).toBeUndefined();
    await t.db.query('delete from sla_clocks');
  });

  it('marketing events refused: every contact is built, marked, and the refusal is not asked again within the cache time', async () => {
    const hs = fake();
    hs.refuse.set('marketing_events', missingScope('marketing-events.list', 'crm.objects.marketing_events.read'));
    let lists = 0;
    const counting = Object.assign(Object.create(hs) as DegradedHubSpot, {
      listMarketingEvents: () => {
        lists++;
        return hs.listMarketingEvents();
      },
    });
    const participations = createEventParticipationProvider({ gateway: counting, db: t.db, now: () => clock.now() });
    const deps = { db: t.db, gateway: hs, participations };
    const first = await buildSnapshots(deps, PORTAL, ['1', '2']);
    await buildSnapshots(deps, PORTAL, ['1']);
    expect([...first.values()].map((s) => s.unavailable?.[0]?.source)).toEqual(['marketing_events', 'marketing_events']);
    expect(first.get('1')?.company?.id).toBe('900');
    expect(lists).toBe(1);
  });

  it('an install that is no longer active still stops the build', async () => {
    const hs = fake();
    hs.refuse.set('companies', new InstallNotActiveError(PORTAL, 'uninstalled'));
    await expect(buildSnapshots({ db: t.db, gateway: hs }, PORTAL, ['1'])).rejects.toBeInstanceOf(InstallNotActiveError);
  });
});

describe('open deals of a degraded portal', () => {
  it('deals refused: no deal, no failure, the gap is reported', async () => {
    const reported: UnavailableSource[] = [];
    const gateway = {
      readAssociations: async () => {
        throw missingScope('associations.contacts.deals.batch.read', 'crm.objects.deals.read');
      },
      readDeals: async () => [],
      reportUnavailable: (_p: string, u: UnavailableSource) => reported.push(u),
    };
    expect(await findOpenDeals(gateway, PORTAL, ['1'])).toEqual(new Map());
    expect(reported).toEqual([{ source: 'deals', reason: 'missing_scope', scope: 'crm.objects.deals.read' }]);
  });
});
