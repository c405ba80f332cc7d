/**
 * Which kind of form a conversion was, from its title (docs/product.md §2). An exact-title
 * override set by the admin wins; otherwise categories are tried in a fixed order so
 * that mixed titles land where a salesperson would put them: "資料請求・お問い合わせ" is an
 * inquiry, "ウェビナーアンケート" a survey, "セミナー資料ダウンロード" a download.
 */
import { FORM_CATEGORIES, type FormCategory, type PortalSettings } from '@tossup/shared/settings-schema';
import { containsText, normalizeText } from './text-match';

export type FormClassification = FormCategory | 'ignore' | 'other';

export function classifyForm(title: string, forms: PortalSettings['forms']): FormClassification {
  const normalized = normalizeText(title).trim();
  const override = forms.overrides.find((o) => normalizeText(o.title).trim() === normalized);
  if (override) return override.category;
  for (const category of FORM_CATEGORIES) {
    if (forms.patterns[category].some((p) => containsText(normalized, p))) return category;
  }
  return 'other';
}
