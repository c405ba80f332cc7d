/**
 * Sales' answer to a hand-off from the tab card: accept, or reject with a reason.
 * Only the rep the lead was handed to (or the contact owner) may answer.
 */
import { acceptBodySchema, rejectBodySchema } from '@tossup/shared/card-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { ContactSnapshot, PortalDirectory } from '../../domain/types';
import { ERRORS, refusalError } from '../api-errors';
import { permissionsFor } from '../build-views';
import type { PlanOutcome } from '../card-api-deps';
import { AnswerNow, defineRoute, fail, param, type Answer, type Call, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';

type Decide = (snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, ownerId: string) => PlanOutcome | Promise<PlanOutcome>;

export function acceptRejectRoutes(kit: RouteKit): CardRoute[] {
  async function respond(call: Call, decide: Decide): Promise<Answer> {
    const contactId = param(call.req, 'id');
    const { settings } = await kit.settingsOf(call);
    const who = await kit.viewer(call, settings);
    const [directory, snapshot] = await Promise.all([kit.directoryOf(call), kit.requireContact(call, contactId, true)]);
    const ownerId = who.user.ownerId;
    if (!ownerId || !permissionsFor(who.user, who.departments, snapshot.contact.properties).canRespond) throw new AnswerNow(fail(ERRORS.notAssignedRep()));
    const outcome = await decide(snapshot, settings, directory, ownerId);
    if (!outcome.ok) return fail(refusalError(outcome));
    return kit.applyAndView(call, outcome.plan, snapshot, settings, directory, who);
  }

  return [
    defineRoute({
      method: 'post',
      path: '/contacts/:id/accept',
      name: 'post_accept',
      body: acceptBodySchema,
      mutation: true,
      handle: (call) => respond(call, (s, settings, d, ownerId) => call.deps.engine.planAccept(s, settings, d, call.now, { ownerId })),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/reject',
      name: 'post_reject',
      body: rejectBodySchema,
      mutation: true,
      handle: (call) =>
        respond(call, async (s, settings, d, ownerId) => {
          // The code is written only when it is an option of the property in HubSpot (the options sync), else `other`.
          const sync = call.deps.rejectReasons;
          const accepted = sync ? await sync.acceptedCodes(call.identity.portalId) : undefined;
          const outcome = call.deps.engine.planReject(s, settings, d, call.now, {
            ownerId,
            reasonCode: call.body.reasonCode,
            reasonText: call.body.reason,
            ...(accepted ? { acceptedReasonCodes: accepted } : {}),
          });
          if (outcome.ok && sync && call.body.reasonCode !== 'other' && outcome.plan.contactProperties.tossup_reject_reason_code === 'other') sync.countFallback();
          return outcome;
        }),
    }),
  ];
}
