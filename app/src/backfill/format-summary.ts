import type { BackfillSummary } from './run-backfill';

/**
 * The backfill's result for people (Japanese first, then English): how many contacts
 * were looked at and, per transition, how many move (or would move, in a dry run),
 * e.g. `tossup_stage new→mql: 12`. Sorted by field then count so two runs diff cleanly.
 */
export function formatBackfillSummary(s: BackfillSummary, extra: { apiCalls?: number; seconds?: number } = {}): string {
  const verb = s.dryRun ? { ja: '変更予定', en: 'would change' } : { ja: '変更済み', en: 'changed' };
  const lines = [
    `tossup backfill — ポータル / portal ${s.portalId}${s.dryRun ? '（ドライラン: 何も書き込みません / dry run: nothing written）' : ''}`,
    `  コンタクト / contacts: ${s.total}（評価 / evaluated ${s.evaluated}）`,
    `  プロパティ${verb.ja}のコンタクト / contacts whose properties ${verb.en}: ${s.contactsChanged}`,
    `  タスク / tasks ${s.dryRun ? '（作成予定 / to create）' : '（作成 / created）'}: ${s.tasks}   メモ / notes: ${s.notes}`,
  ];
  const entries = Object.entries(s.transitions).sort(([a, x], [b, y]) => a.split(' ')[0]!.localeCompare(b.split(' ')[0]!) || y - x || a.localeCompare(b));
  if (entries.length === 0) {
    lines.push('  遷移なし / no transitions');
  } else {
    lines.push(`  遷移 / transitions:`);
    for (const [key, n] of entries) lines.push(`    ${key}: ${n}`);
  }
  const fields = Object.entries(s.reportFields ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (fields.length > 0) {
    lines.push(`  トスアップ記録から補完 / filled from the hand-off log:`);
    for (const [name, n] of fields) lines.push(`    ${name}: ${n}`);
  }
  if (extra.apiCalls !== undefined) lines.push(`  HubSpot API 呼び出し / calls: ${extra.apiCalls}`);
  if (extra.seconds !== undefined) lines.push(`  所要時間 / took: ${extra.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
