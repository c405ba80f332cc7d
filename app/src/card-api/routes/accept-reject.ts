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

type Decide = (snapshot: ContactSnapshot, settings: PortalSettings, directory: PortalDirectory, ownerId: string) => PlanOutcome;

export function acceptRejectRoutes(kit: RouteKit): CardRoute[] {
  async function respond(call: Call, decide: Decide): Promise<Answer> {
    const contactId = param(call.req, 'id');
    const { settings } = await kit.settingsOf(call);
    const who = await kit.viewer(call, settings);
    const [directory, snapshot] = await Promise.all([kit.directoryOf(call), kit.requireContact(call, contactId, true)]);
    const ownerId = who.user.ownerId;
    if (!ownerId || !permissionsFor(who.user, who.departments, snapshot.contact.properties).canRespond) throw new AnswerNow(fail(ERRORS.notAssignedRep()));
    const outcome = decide(snapshot, settings, directory, ownerId);
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
        respond(call, (s, settings, d, ownerId) => call.deps.engine.planReject(s, settings, d, call.now, { ownerId, reasonCode: call.body.reasonCode, reasonText: call.body.reason })),
    }),
  ];
}
