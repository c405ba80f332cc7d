/**
 * The portal's forms for the settings page's per-form categories (issue 16): the Forms
 * API's list when the portal granted the optional `forms` scope, else the form titles
 * the app has recorded from submissions (card-api-deps.ts listPortalForms). Read-only;
 * any user of the portal may read it, as they may read the settings.
 */
import type { SettingsFormsView } from '@tossup/shared/card-dto';
import { defineRoute, ok, type CardRoute } from '../request-pipeline';
import type { RouteKit } from '../route-kit';

export function settingsFormsRoutes(kit: RouteKit): CardRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/settings/forms',
      name: 'get_settings_forms',
      async handle(call) {
        const current = await kit.settingsOf(call);
        await kit.viewer(call, current.settings);
        const view: SettingsFormsView = await call.deps.data.listPortalForms(call.identity.portalId);
        return ok(view);
      },
    }),
  ];
}
