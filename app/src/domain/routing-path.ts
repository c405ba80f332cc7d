/**
 * A routing decision in words (issue 17), for the hand-off note, the log and the tab
 * card: 「地域ルール: 関西 → 関西営業チーム → 山田 太郎（稼働中・担当 3/8件）」, followed by
 * the reps that were passed over and why (上限到達, 不在, 無効, チーム外, 管理者).
 * Returned as `Bilingual` so the card picks the user's locale and the note the portal's.
 */
import type { Bilingual } from '@tossup/shared/i18n';
import type { PortalDirectory } from './types';
import type { RoutingCandidate, RoutingTrace } from './routing';

type Names = Pick<PortalDirectory, 'owners'>;

function ownerName(directory: Names, ownerId: string): Bilingual {
  const o = directory.owners.find((x) => x.id === ownerId);
  if (!o) return { ja: ownerId, en: ownerId };
  const ja = [o.lastName, o.firstName].filter(Boolean).join(' ') || o.email || ownerId;
  const en = [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || ownerId;
  return { ja, en };
}

const md = (iso: string): string => `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}`;

function load(c: RoutingCandidate): Bilingual {
  return c.cap === null ? { ja: `担当 ${c.open}件`, en: `${c.open} open` } : { ja: `担当 ${c.open}/${c.cap}件`, en: `${c.open}/${c.cap} open` };
}

/** Why a candidate was (not) chosen, e.g. 稼働中・担当 3/8件 / 上限到達 8/8件 / 不在 12/24〜12/26. */
export function candidateStatusInWords(c: RoutingCandidate): Bilingual {
  const l = load(c);
  switch (c.status) {
    case 'chosen':
    case 'eligible':
      return { ja: `稼働中・${l.ja}`, en: `available, ${l.en}` };
    case 'capacity':
      return { ja: `上限到達 ${c.open}/${c.cap ?? '-'}件`, en: `at capacity ${c.open}/${c.cap ?? '-'}` };
    case 'out_of_office':
      return { ja: `不在 ${md(c.outOfOffice!.from)}〜${md(c.outOfOffice!.to)}`, en: `out of office ${md(c.outOfOffice!.from)}–${md(c.outOfOffice!.to)}` };
    case 'archived':
      return { ja: '無効なユーザー', en: 'deactivated' };
    case 'not_in_team':
      return { ja: '営業チーム外', en: 'not in the team' };
    case 'manager':
      return { ja: '管理者・エスカレーション先のため対象外', en: 'manager or escalation owner, left out' };
    case 'excluded':
      return { ja: '再割当元', en: 'reassigned from' };
  }
}

const join = (parts: Bilingual[], ja: string, en: string): Bilingual => ({ ja: parts.map((p) => p.ja).join(ja), en: parts.map((p) => p.en).join(en) });

/** The decision as one line, both languages. */
export function routingPathInWords(trace: RoutingTrace, chosenOwnerId: string, directory: Names): Bilingual {
  const steps: Bilingual[] = [];
  const person = (c: RoutingCandidate): Bilingual => {
    const n = ownerName(directory, c.ownerId);
    const s = candidateStatusInWords(c);
    return { ja: `${n.ja}（${s.ja}）`, en: `${n.en} (${s.en})` };
  };
  const ao = trace.accountOwner;
  if (ao) {
    if (ao.outcome === 'chosen') return join([{ ja: '担当企業の所有者', en: 'Owner of the company' }, person(ao)], ' → ', ' → ');
    if (ao.outcome === 'chosen_despite') {
      return join([{ ja: '担当企業の所有者', en: 'Owner of the company' }, person(ao), { ja: '※対応不可ですが設定により割当', en: 'note: unavailable, assigned by the setting' }], ' → ', ' → ');
    }
    const p = person(ao);
    steps.push({ ja: `担当企業の所有者 ${p.ja}を見送り`, en: `Company owner ${p.en} passed over` });
  }
  steps.push(trace.rule ? { ja: trace.rule.name, en: trace.rule.name } : { ja: '該当ルールなし', en: 'No rule matched' });
  if (trace.target) steps.push(trace.target.type === 'department' ? { ja: '営業チーム', en: 'Sales teams' } : { ja: trace.target.name, en: trace.target.name });
  const chosen = trace.candidates.find((c) => c.status === 'chosen');
  if (chosen) steps.push(person(chosen));
  else {
    const n = ownerName(directory, chosenOwnerId);
    steps.push(
      trace.warning === 'fallback'
        ? { ja: `対応可能な担当者なし → 代替の担当者 ${n.ja}`, en: `nobody available → fallback owner ${n.en}` }
        : { ja: `対応可能な担当者なし → 担当件数の最も少ない ${n.ja}`, en: `nobody available → least-loaded ${n.en}` },
    );
  }
  const line = join(steps, ' → ', ' → ');
  const skipped = trace.candidates.filter((c) => c.status !== 'chosen' && c.status !== 'eligible');
  if (skipped.length === 0) return line;
  const list = join(skipped.map(person), '、', ', ');
  return { ja: `${line.ja}［対象外: ${list.ja}］`, en: `${line.en} [skipped: ${list.en}]` };
}
