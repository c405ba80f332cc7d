/**
 * The sidebar card's BANT form: the checklist, the notes per item and the hand-off
 * reason. What the edit writes is the domain's (app/src/domain/bant-edit.ts), including
 * the automatic hand-off, credited to the saving user, when the save completes the gate.
 */
import { bantUpdateBodySchema, type MutationView } from '@tossup/shared/card-dto';
import { planBantSave } from '../../domain/bant-edit';
import { ERRORS } from '../api-errors';
import { permissionsFor } from '../build-views';
import { AnswerNow, defineRoute, fail, ok, param, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';

export function bantRoutes(kit: RouteKit): CardRoute[] {
  return [
    defineRoute({
      method: 'put',
      path: '/contacts/:id/bant',
      name: 'put_bant',
      body: bantUpdateBodySchema,
      mutation: true,
      async handle(call) {
        const contactId = param(call.req, 'id');
        const { settings } = await kit.settingsOf(call);
        const who = await kit.viewer(call, settings);
        if (!permissionsFor(who.user, who.departments, null).canEditBant) throw new AnswerNow(fail(ERRORS.notInsideSales()));
        const [directory, snapshot] = await Promise.all([kit.directoryOf(call), kit.requireContact(call, contactId, true)]);
        const plan = planBantSave(snapshot, call.body, settings, directory, call.now, { userId: call.identity.userId, ownerId: who.user.ownerId });
        if (Object.keys(plan.contactProperties).length === 0) return ok({ handoff: kit.handoffView(call, snapshot, settings, directory, who) } satisfies MutationView);
        return kit.applyAndView(call, plan, snapshot, settings, directory, who);
      },
    }),
  ];
}
