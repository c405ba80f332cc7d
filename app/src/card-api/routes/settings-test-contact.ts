/**
 * "Test on a contact" (issue 16): the engine's decision for one contact under the
 * published settings and, when sent, under a draft, side by side. Read-only: the
 * contact is read fresh and nothing is planned for HubSpot (app/src/domain/contact-test.ts).
 * Contacts are found by record id: the card data source has no search by e-mail.
 */
import { settingsTestContactBodySchema, type SettingsTestContactView } from '@tossup/shared/card-dto';
import { parseSettings } from '@tossup/shared/settings-schema';
import { testContact } from '../../domain/contact-test';
import { ERRORS } from '../api-errors';
import { defineRoute, fail, ok, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';
import { requireSuperAdmin, settingsErrors } from './settings';

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
        let draft = null;
        if (call.body.settings !== undefined) {
          const parsed = parseSettings(call.body.settings);
          if (!parsed.ok) return fail(ERRORS.invalidSettings(settingsErrors(parsed.errors)));
          draft = parsed.settings;
        }
        const [snapshot, directory] = await Promise.all([kit.requireContact(call, call.body.contactId, true), kit.directoryOf(call)]);
        const view: SettingsTestContactView = {
          contactId: call.body.contactId,
          published: testContact(snapshot, current.settings, directory, call.now),
          draft: draft ? testContact(snapshot, draft, directory, call.now) : null,
        };
        return ok(view);
      },
    }),
  ];
}
