import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@tossup/shared/settings-defaults';
import { portalSettingsSchema } from '@tossup/shared/settings-schema';
import { formatDeadline, formatForPeople, ownerInWords, routeInWords, sourceInWords } from '../../src/domain/portal-text';
import { formatScoreLine } from '../../src/domain/scoring';

/** What tossup writes into HubSpot, in the portal's one language (app/src/domain/portal-text.ts). */
const ja = DEFAULT_SETTINGS;
const en = { ...DEFAULT_SETTINGS, portalLanguage: 'en' as const };
const T = Date.UTC(2026, 11, 3, 5, 30); // 14:30 in Tokyo, a Thursday

describe('portal language', () => {
  it('defaults to 日本語, also for settings saved before the setting existed', () => {
    expect(DEFAULT_SETTINGS.portalLanguage).toBe('ja');
    const { portalLanguage: _l, overlapWindowHours: _w, ...old } = DEFAULT_SETTINGS;
    const parsed = portalSettingsSchema.parse(old);
    expect(parsed.portalLanguage).toBe('ja');
    expect(parsed.overlapWindowHours).toBe(72);
  });

  it('dates for people in the calendar time zone', () => {
    expect(formatForPeople(T, ja)).toBe('12月3日(木) 14:30');
    expect(formatDeadline(T, ja)).toBe('12月3日(木) 14:30まで');
    expect(formatForPeople(T, en)).toBe('Thu, Dec 3, 14:30');
    expect(formatDeadline(T, en)).toBe('due Thu, Dec 3, 14:30');
    expect(formatForPeople(Date.UTC(2026, 11, 2, 15, 5), ja)).toBe('12月3日(木) 00:05');
  });

  it('routes, sources and owners in words', () => {
    expect(routeInWords('company_owner', ja)).toBe('担当企業の所有者');
    expect(routeInWords('round_robin:sales', ja)).toBe('ラウンドロビン（営業チーム）');
    expect(routeInWords('round_robin:sales', en)).toBe('round-robin (Sales team)');
    expect(sourceInWords('workflow', ja)).toBe('自動（ワークフロー）');
    const directory = { owners: [{ id: '7', firstName: '健太', lastName: '鈴木', archived: false, teams: [] }] };
    expect(ownerInWords(directory, '7', ja)).toBe('鈴木 健太');
    expect(ownerInWords(directory, '7', en)).toBe('健太 鈴木');
    expect(ownerInWords(directory, '8', ja)).toBe('8');
  });

  it('tossup_score_breakdown lines in one language', () => {
    const line = { rule: 'emailOpen', part: 'behavior', count: 10, points: 15, capped: true } as const;
    expect(formatScoreLine(line, 'ja')).toBe('メール開封 ×10 +15（上限）');
    expect(formatScoreLine(line, 'en')).toBe('Email opens ×10 +15 (capped)');
  });
});
