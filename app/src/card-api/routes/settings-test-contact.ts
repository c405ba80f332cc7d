/**
 * "Test on a contact" (issue 16): the engine's decision for one contact under the
 * published settings and, when sent, under a draft, side by side. Read-only: the
 * contact is read fresh and nothing is planned for HubSpot (app/src/domain/contact-test.ts).
 * Contacts are found by record id, or by primary e-mail through the gateway's CRM search.
 */
import { settingsTestContactBodySchema, type SettingsTestContactView } from '@tossup/shared/card-dto';
import { testContact } from '../../domain/contact-test';
import { ERRORS } from '../api-errors';
import { defineRoute, fail, ok, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';
import { parsedSettingsOrFail, requireSuperAdmin } from './settings';

export function settingsTestContactRoutes(kit: RouteKit): CardRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/settings/test-contact',
      name: 'post_settings_test_contact',
      body: settingsTestContactBodySchema,
      async handle(call) {
        const current = await kit.settingsOf(call);
        await requireSuperAdmin(kit, call, current.settings);
        const draft = call.body.settings === undefined ? null : parsedSettingsOrFail(call.body.settings);
        const { email } = call.body;
        let contactId = call.body.contactId;
        if (email !== undefined) {
          // HubSpot keeps primary e-mails unique per portal; the lowest id is the stable pick if a race ever made two.
          const ids = (await call.deps.data.findContactIdsByEmail(call.identity.portalId, email)).sort((a, b) => Number(a) - Number(b));
          contactId = ids[0];
          if (contactId === undefined) return fail(ERRORS.notFound({ ja: `メールアドレス ${email} のコンタクト`, en: `A contact with the e-mail ${email}` }));
        }
        const id = contactId!;
        const [snapshot, directory] = await Promise.all([kit.requireContact(call, id, true), kit.directoryOf(call)]);
        const view: SettingsTestContactView = {
          contactId: id,
          ...(email !== undefined ? { email } : {}),
          published: testContact(snapshot, current.settings, directory, call.now),
          draft: draft ? testContact(snapshot, draft, directory, call.now) : null,
        };
        return ok(view);
      },
    }),
  ];
}
