/**
 * 「不在設定」 (issue 17): reps' out-of-office days, which routing respects in the
 * portal's time zone (app/src/domain/availability.ts). A rep sets and removes their
 * own days from the card; a super admin sets anyone's from the card or the settings
 * page. Everyone of the portal may read them (colleagues plan around them).
 */
import { outOfOfficeBodySchema, outOfOfficeDeleteBodySchema, type OutOfOfficeListView } from '@tossup/shared/routing-dto';
import type { OutOfOfficeRange, PortalDirectory } from '../../domain/types';
import { localIsoDate } from '../../domain/business-hours';
import { apiError, ERRORS, fieldError } from '../api-errors';
import { ownerName } from '../build-views';
import type { OutOfOfficeStore } from '../card-api-deps';
import { AnswerNow, defineRoute, fail, ok, param, type Call, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';

/** One range covers at most a year: longer absences are leaving the team, not being away. */
export const MAX_OUT_OF_OFFICE_DAYS = 366;

const DAY = 86_400_000;

function storeOf(call: Call): OutOfOfficeStore {
  const store = call.deps.outOfOffice;
  if (!store) throw new AnswerNow(fail(ERRORS.notFound({ ja: '不在設定', en: 'Out of office' })));
  return store;
}

const view = (r: OutOfOfficeRange, directory: PortalDirectory) => ({
  id: r.id ?? '',
  ownerId: r.ownerId,
  ownerName: ownerName(directory.owners.find((o) => o.id === r.ownerId)) ?? `#${r.ownerId}`,
  from: r.from,
  to: r.to,
  note: r.note ?? null,
});

export function outOfOfficeRoutes(kit: RouteKit): CardRoute[] {
  async function list(call: Call) {
    const { settings } = await kit.settingsOf(call);
    const [who, directory] = await Promise.all([kit.viewer(call, settings), kit.directoryOf(call)]);
    // From yesterday in the portal's calendar: a range that ended today still shows today.
    const since = localIsoDate(call.now - DAY, settings.sla.calendar.business.timeZone);
    const ranges = await storeOf(call).list(call.identity.portalId, since);
    const answer: OutOfOfficeListView = { ranges: ranges.map((r) => view(r, directory)), canEditOthers: who.user.superAdmin, ownerId: who.user.ownerId };
    return ok(answer);
  }

  return [
    defineRoute({ method: 'get', path: '/out-of-office', name: 'get_out_of_office', handle: list }),
    defineRoute({
      method: 'post',
      path: '/out-of-office',
      name: 'post_out_of_office',
      body: outOfOfficeBodySchema,
      mutation: true,
      async handle(call) {
        const { settings } = await kit.settingsOf(call);
        const [who, directory] = await Promise.all([kit.viewer(call, settings), kit.directoryOf(call)]);
        const ownerId = call.body.ownerId ?? who.user.ownerId;
        if (!ownerId) {
          return fail(apiError('forbidden', { ja: 'HubSpotの担当者（オーナー）として登録されていないため、不在を設定できません。管理者に確認してください。', en: 'You are not a HubSpot owner, so you cannot set out-of-office days; ask your admin.' }));
        }
        if (ownerId !== who.user.ownerId && !who.user.superAdmin) {
          return fail(apiError('forbidden', { ja: '他の担当者の不在はスーパー管理者のみ設定できます。', en: 'Only super admins can set out-of-office days for someone else.' }));
        }
        if (!directory.owners.some((o) => o.id === ownerId)) return fail(ERRORS.invalidFields([fieldError('ownerId', 'owner_unknown', { id: ownerId })]), 400);
        // The schema has checked both are calendar dates and from ≤ to.
        const days = (Date.parse(`${call.body.to}T00:00:00Z`) - Date.parse(`${call.body.from}T00:00:00Z`)) / DAY + 1;
        if (days > MAX_OUT_OF_OFFICE_DAYS) return fail(ERRORS.invalidFields([fieldError('to', 'date_range_too_long', { days: MAX_OUT_OF_OFFICE_DAYS })]), 400);
        const range = { ownerId, from: call.body.from, to: call.body.to, ...(call.body.note ? { note: call.body.note } : {}) };
        await storeOf(call).add(call.identity.portalId, range, String(call.identity.userId), call.now);
        kit.cache.invalidatePortal(call.identity.portalId);
        return list(call);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/out-of-office/:id/delete',
      name: 'post_out_of_office_delete',
      body: outOfOfficeDeleteBodySchema,
      mutation: true,
      async handle(call) {
        const id = param(call.req, 'id');
        const { settings } = await kit.settingsOf(call);
        const who = await kit.viewer(call, settings);
        // A rep removes only their own days; a super admin anyone's.
        const removed = await storeOf(call).remove(call.identity.portalId, id, who.user.superAdmin ? undefined : (who.user.ownerId ?? '-'));
        if (!removed) return fail(ERRORS.notFound({ ja: `不在設定 ${id}`, en: `Out-of-office range ${id}` }));
        kit.cache.invalidatePortal(call.identity.portalId);
        return list(call);
      },
    }),
  ];
}
