/**
 * The parts of HubSpot's extension context and actions the components use. Kept
 * structural (not the SDK's full CrmContext) so the entries pass HubSpot's real
 * objects and tests and the local preview pass small literals.
 */
import { createTranslator, pickLocale, type Locale, type Translate } from '@tossup/shared/i18n';

export interface UserLike {
  locale?: string;
}

export interface CardContextLike {
  user: UserLike;
  portal: { timezone: string };
  crm: { objectId: number | string; objectTypeId: string };
}

export interface SettingsContextLike {
  user: UserLike;
  portal: { timezone: string };
}

export interface AlertInput {
  type?: 'info' | 'warning' | 'success' | 'danger' | 'tip';
  title?: string;
  message: string;
}

export interface ActionsLike {
  addAlert: (alert: AlertInput) => void;
  /** Re-reads the record's properties in HubSpot's UI after our backend wrote them. */
  refreshObjectProperties?: () => void;
}

export interface I18n {
  locale: Locale;
  t: Translate;
  timeZone: string;
}

export function i18nOf(context: { user: UserLike; portal: { timezone: string } }): I18n {
  const locale = pickLocale(context.user.locale);
  return { locale, t: createTranslator(locale), timeZone: context.portal.timezone };
}

/** HubSpot object type ids: 0-1 contacts, 0-3 deals. */
export function objectTypeOf(objectTypeId: string): 'contacts' | 'deals' | null {
  if (objectTypeId === '0-1') return 'contacts';
  if (objectTypeId === '0-3') return 'deals';
  return null;
}
