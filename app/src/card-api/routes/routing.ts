/** The tab card's routing panel (issue 17): GET /contacts/:id/routing — the path in words and the escalation ladder. */
import { ERRORS } from '../api-errors';
import { AnswerNow, defineRoute, fail, ok, param, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';
import { buildRoutingPanel } from '../routing-view';

export function routingRoutes(kit: RouteKit): CardRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/routing',
      name: 'get_contact_routing',
      async handle(call) {
        const contactId = param(call.req, 'id');
        const log = call.deps.routingLog;
        if (!log) throw new AnswerNow(fail(ERRORS.notFound({ ja: '割当の経緯', en: 'Routing path' })));
        const { settings } = await kit.settingsOf(call);
        const [, directory, rows] = await Promise.all([kit.viewer(call, settings), kit.directoryOf(call), log.list(call.identity.portalId, contactId)]);
        return ok(buildRoutingPanel(rows, settings, directory));
      },
    }),
  ];
}
