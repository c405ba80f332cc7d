/**
 * The sidebar card's hand-off resource: what the engine says about the contact
 * (score, MQL, gate) and the IS rep's toss-up button.
 */
import { tossUpBodySchema } from '@tossup/shared/card-dto';
import { ERRORS, refusalError } from '../api-errors';
import { permissionsFor } from '../build-views';
import { AnswerNow, defineRoute, fail, ok, param, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';

export function handoffRoutes(kit: RouteKit): CardRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/handoff',
      name: 'get_handoff',
      async handle(call) {
        const contactId = param(call.req, 'id');
        const stored = await kit.settingsOf(call);
        const [who, directory, snapshot] = await Promise.all([kit.viewer(call, stored.settings), kit.directoryOf(call), kit.requireContact(call, contactId, false)]);
        return ok(kit.handoffView(call, snapshot, stored.settings, directory, who));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/handoff',
      name: 'post_handoff',
      body: tossUpBodySchema,
      mutation: true,
      async handle(call) {
        const contactId = param(call.req, 'id');
        const { settings } = await kit.settingsOf(call);
        const who = await kit.viewer(call, settings);
        if (!permissionsFor(who.user, who.departments, null).canTossUp) throw new AnswerNow(fail(ERRORS.notInsideSales()));
        // Decide on the newest state: a cached snapshot could toss up a lead someone else just handed off.
        const [directory, snapshot] = await Promise.all([kit.directoryOf(call), kit.requireContact(call, contactId, true)]);
        const outcome = call.deps.engine.planHandoff(snapshot, settings, directory, call.now, { ownerId: who.user.ownerId });
        if (!outcome.ok) return fail(refusalError(outcome));
        return kit.applyAndView(call, outcome.plan, snapshot, settings, directory, who);
      },
    }),
  ];
}
