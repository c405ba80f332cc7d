/**
 * The one language of what tossup writes into HubSpot (settings.portalLanguage): task
 * subjects and bodies, notes and tossup_score_breakdown are read by everyone in the
 * portal, so each carries one language and dates written for people, in the portal's
 * time zone (the SLA calendar's), never an ISO timestamp.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { HandoffSource } from '@tossup/shared/contract-properties';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import type { PortalDirectory } from './types';

export type PortalLanguage = PortalSettings['portalLanguage'];

/** A text's words in the portal's language. */
export function inPortalLanguage(settings: Pick<PortalSettings, 'portalLanguage'>, text: Bilingual): string {
  return text[settings.portalLanguage];
}

const WEEKDAYS_JA: Record<string, string> = { Sun: '日', Mon: '月', Tue: '火', Wed: '水', Thu: '木', Fri: '金', Sat: '土' };

function partsOf(ms: number, timeZone: string, month: 'numeric' | 'short'): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', month, day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
}

/** `12月3日(木) 14:30` / `Thu, Dec 3, 14:30`, in the SLA calendar's time zone. */
export function formatForPeople(ms: number, settings: Pick<PortalSettings, 'portalLanguage' | 'sla'>): string {
  const timeZone = settings.sla.calendar.business.timeZone;
  if (settings.portalLanguage === 'en') {
    const p = partsOf(ms, timeZone, 'short');
    return `${p.weekday}, ${p.month} ${p.day}, ${p.hour}:${p.minute}`;
  }
  const p = partsOf(ms, timeZone, 'numeric');
  return `${p.month}月${p.day}日(${WEEKDAYS_JA[p.weekday ?? ''] ?? ''}) ${p.hour}:${p.minute}`;
}

/** `12月3日(木) 14:30まで` / `due Thu, Dec 3, 14:30`. */
export function formatDeadline(ms: number, settings: Pick<PortalSettings, 'portalLanguage' | 'sla'>): string {
  const when = formatForPeople(ms, settings);
  return settings.portalLanguage === 'en' ? `due ${when}` : `${when}まで`;
}

const ROUTE_WORDS: Record<string, Bilingual> = {
  company_owner: { ja: '担当企業の所有者', en: 'owner of the company' },
  contact_owner: { ja: 'コンタクトの所有者', en: 'owner of the contact' },
  handoff_by: { ja: 'トスアップしたインサイドセールス', en: 'the Inside Sales rep who handed off' },
  'round_robin:sales': { ja: 'ラウンドロビン（営業チーム）', en: 'round-robin (Sales team)' },
  'round_robin:inside_sales': { ja: 'ラウンドロビン（インサイドセールス）', en: 'round-robin (Inside Sales team)' },
  fallback: { ja: '代替の担当者（対応可能な担当者なし）', en: 'fallback owner (nobody available)' },
};

/** routing.ts's path (`company_owner`, `round_robin:sales` …) in words; an unknown path as it is. */
export function routeInWords(path: string, settings: Pick<PortalSettings, 'portalLanguage'> & { routing?: Pick<PortalSettings['routing'], 'rules'> }): string {
  const words = ROUTE_WORDS[path];
  if (words) return inPortalLanguage(settings, words);
  // `rule:<rule id>><pool or team key>` (routing.ts): the rule's name when it still exists.
  const rule = /^rule:([^>]+)>/.exec(path)?.[1];
  const named = rule ? settings.routing?.rules.find((r) => r.id === rule)?.name : undefined;
  if (named) return inPortalLanguage(settings, { ja: `ルール「${named}」`, en: `rule "${named}"` });
  return path;
}

const SOURCE_WORDS: Record<HandoffSource, Bilingual> = {
  card: { ja: 'カードのボタン', en: 'card button' },
  crm: { ja: 'CRMでの変更', en: 'CRM edit' },
  workflow: { ja: '自動（ワークフロー）', en: 'automatic (workflow)' },
  import: { ja: 'インポート', en: 'import' },
  integration: { ja: '連携アプリ', en: 'integration' },
  automatic: { ja: '自動（条件成立）', en: 'automatic (conditions met)' },
};

/** How a hand-off was triggered, in words. */
export function sourceInWords(source: HandoffSource, settings: Pick<PortalSettings, 'portalLanguage'>): string {
  return inPortalLanguage(settings, SOURCE_WORDS[source]);
}

/** 「山田 太郎」 / "Taro Yamada" for an owner id, else the e-mail, else the id: task bodies name people, not numbers. */
export function ownerInWords(directory: Pick<PortalDirectory, 'owners'>, ownerId: string, settings: Pick<PortalSettings, 'portalLanguage'>): string {
  const o = directory.owners.find((x) => x.id === ownerId);
  if (!o) return ownerId;
  const parts = settings.portalLanguage === 'ja' ? [o.lastName, o.firstName] : [o.firstName, o.lastName];
  return parts.filter(Boolean).join(' ') || o.email || ownerId;
}
