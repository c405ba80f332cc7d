/**
 * `npm run demo`: the article's story end to end, on the local HubSpot sandbox and
 * the real backend in one process (fresh in-memory database, manual clock, app
 * installed through OAuth — the same start-up the end-to-end tests use).
 *
 *   Lead A: 展示会で名刺交換 → フォローメール開封 → 資料DL → セミナー参加 → 問い合わせ → MQL
 *           → IS のヒアリング（BANT）→ トスアップ → 営業にタスク → 期限内に初回接触 → SLA達成
 *   Lead B: トスアップ後に営業が動かない → リマインド → SLA超過 → エスカレーション
 *
 * The demo checks itself: every expected outcome is verified against the sandbox,
 * and it exits 1 naming what did not happen.
 */
import { DAY_MS, checkOutcomes, type Check } from './demo-checks';
import { createLeadTimeline, jst } from './demo-timeline';
import { E2E_START, HOUR, MINUTE, startE2E, timeOf, type E2E } from '../sandbox-harness/sandbox-harness';

/** The demo must finish well under a minute; past this something is stuck. */
const WATCHDOG_MS = 50_000;

const out = (line = '') => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const started = performance.now();
  out('tossup デモ — 記事のトスアップを端から端まで / the article\'s lead hand-off, end to end');
  out('起動中: ローカル HubSpot サンドボックス + バックエンド（新しいインメモリDB、手動クロック） / starting: local HubSpot sandbox + backend (fresh in-memory DB, manual clock)');
  const h = await startE2E();
  try {
    const installCalls = h.sandbox.stats().portals[h.portalId]?.calls ?? 0;
    out(`OAuth でインストール済み（ポータル ${h.portalId}） / installed through OAuth (portal ${h.portalId}); ${installCalls} API calls for the install`);
    h.sandbox.resetStats();

    const checks: Check[] = [];
    const ownerOf = (id: string) => h.sandbox.portal().owners.find((o) => o.id === id);
    const userIdOf = (id: string) => ownerOf(id)?.userId;
    const nameOf = (id: string | undefined) => {
      const o = id ? ownerOf(id) : undefined;
      return o ? `${o.lastName} ${o.firstName}` : '—';
    };

    // The escalation owner of field sales: the team's manager (the article: who is responsible must be clear).
    const fieldManager = h.seed.managerOwnerIds.fieldSales;
    await h.saveSettings((s) => {
      s.escalation.ownersByTeam[h.seed.teamIds.fieldSales] = fieldManager;
    });
    out(`設定: フィールドセールス部のエスカレーション先 = ${nameOf(fieldManager)} / settings: field sales escalations go to ${nameOf(fieldManager)}`);
    out('');

    const leadA = await playLeadA(h, checks, userIdOf);
    const leadB = await playLeadB(h, checks, userIdOf);

    for (const [title, lines] of [leadA, leadB] as const) {
      out(`━━ ${title} ━━`);
      for (const l of lines) out(l);
      out('');
    }

    printApiSummary(h);
    const failed = checkOutcomes(checks);
    out('');
    out(`確認 / checks: ${checks.length - failed.length}/${checks.length} OK  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    if (failed.length > 0) {
      process.stderr.write(`\nデモの期待結果が満たされませんでした / expected outcomes did not happen:\n${failed.map((c) => `  ✖ ${c.ja} / ${c.en} (got: ${c.actual})`).join('\n')}\n`);
      return 1;
    }
    return 0;
  } finally {
    await h.close();
  }
}

async function playLeadA(h: E2E, checks: Check[], userIdOf: (id: string) => number | undefined): Promise<[string, string[]]> {
  const sc = h.sandbox.scenario;
  const company = h.seed.companyIds[2]!; // 北陸精密工業株式会社, 850 employees, owned by a field sales rep
  const companyName = h.sandbox.portal().objects.companies[company]!.properties.name ?? '';
  const marketer = h.seed.ownerIds.marketing[1]!;
  const [followUp, , seminarInvite] = h.seed.marketingEmailIds;

  h.advance(HOUR); // Monday 10:00 JST
  const { contactId } = sc.createContact({
    properties: { email: 'taro.yamada@hokuriku-seimitsu.co.jp', firstname: '太郎', lastname: '山田', jobtitle: '製造部 部長', lifecyclestage: 'lead' },
    companyId: company,
    userId: userIdOf(marketer),
  });
  await h.settle();
  const t = createLeadTimeline(h, contactId);
  t.step('展示会で名刺交換、マーケティングが登録', 'trade-show business card entered by Marketing');

  h.advance(DAY_MS);
  sc.openMarketingEmail({ contactId, emailId: followUp, count: 3 });
  await h.settle();
  t.step('マーケのフォローメールを開封 ×3', 'opened Marketing\'s follow-up email ×3');

  h.advance(DAY_MS + 2 * HOUR);
  sc.submitForm({ contactId, formId: h.seed.formIds.download });
  await h.settle();
  t.step('資料ダウンロード（営業DX完全ガイド）', 'downloaded the sales-DX guide');

  h.advance(2 * DAY_MS);
  sc.openMarketingEmail({ contactId, emailId: seminarInvite, count: 2 });
  await h.settle();
  t.step('セミナー案内メールを開封 ×2', 'opened the seminar invitation ×2');

  h.advance(2 * DAY_MS);
  sc.attendEvent({ contactId });
  t.step('セミナー参加（インサイドセールス実践セミナー）', 'attended the seminar');
  t.info('参加記録にWebhookは無いため、次の評価でスコアに反映', 'attendance has no webhook; it scores at the next evaluation');

  h.advance(DAY_MS);
  sc.submitForm({ contactId, formId: h.seed.formIds.inquiry });
  await h.settle();
  t.step('問い合わせフォーム送信 → MQL判定', 'submitted the inquiry form → MQL rule');
  const mql = h.contact(contactId);
  t.info('スコア内訳', 'score breakdown');
  for (const line of (mql.tossup_score_breakdown ?? '').split('\n')) t.info(`  ${line.split(' / ')[0]}`, line.split(' / ')[1] ?? '');
  const isOwner = mql.hubspot_owner_id ?? '';
  checks.push(
    { ja: 'A: スコア70点以上', en: 'A: score ≥ 70', ok: Number(mql.tossup_score) >= 70, actual: mql.tossup_score },
    { ja: 'A: MQL（lifecyclestage）', en: 'A: lifecycle MQL', ok: mql.lifecyclestage === 'marketingqualifiedlead', actual: mql.lifecyclestage },
    { ja: 'A: tossup_stage = mql', en: 'A: tossup_stage = mql', ok: mql.tossup_stage === 'mql', actual: mql.tossup_stage },
    { ja: 'A: ISにフォロータスク', en: 'A: IS follow-up task', ok: h.associated(contactId, 'tasks').filter((x) => x.properties.hubspot_owner_id === isOwner && h.seed.ownerIds.insideSales.includes(isOwner)).length === 1, actual: isOwner },
  );

  h.advance(3 * HOUR);
  sc.logActivity({ type: 'call', contactId, ownerId: isOwner, subject: 'ヒアリング / Discovery call' });
  h.advance(15 * MINUTE);
  sc.setProperties({
    objectId: contactId,
    userId: userIdOf(isOwner),
    properties: {
      tossup_bant_budget: 'true',
      tossup_bant_need: 'true',
      tossup_bant_timeline: 'true',
      tossup_bant_notes: 'B: 来期予算で導入前提の検討中 / N: 部門間の情報分断 / T: 7月までに比較検討',
      tossup_handoff_reason: '3か月以内に比較検討を開始。部長が決裁に関与 / Evaluating within 3 months; the department head decides',
    },
  });
  await h.settle();
  t.step('ISが電話でヒアリング、BANT（予算・ニーズ・時期）と理由を記入 → トスアップ', 'IS discovery call; BANT (budget, need, timeline) and reason written → hand-off');
  const handed = h.contact(contactId);
  const rep = handed.tossup_handoff_to ?? '';
  const handoffAt = timeOf(handed.tossup_sql_at) ?? 0;
  const companyOwner = h.sandbox.portal().objects.companies[company]!.properties.hubspot_owner_id;
  const repTask = h.associated(contactId, 'tasks').find((x) => (x.properties.hs_task_subject ?? '').includes('【トスアップ】'));
  checks.push(
    { ja: 'A: SQL（lifecyclestage）', en: 'A: lifecycle SQL', ok: handed.lifecyclestage === 'salesqualifiedlead', actual: handed.lifecyclestage },
    { ja: 'A: 取引先の担当営業へトスアップ', en: 'A: handed to the company owner', ok: rep !== '' && rep === companyOwner, actual: rep },
    { ja: 'A: 営業に HIGH タスク（24時間期限）', en: 'A: HIGH task due in 24 h for the rep', ok: repTask?.properties.hubspot_owner_id === rep && repTask?.properties.hs_task_priority === 'HIGH' && timeOf(repTask?.properties.hs_timestamp) === handoffAt + 24 * HOUR, actual: repTask?.properties.hs_task_subject },
    { ja: 'A: トスアップのメモ', en: 'A: hand-off note', ok: h.associated(contactId, 'notes').length === 1, actual: h.associated(contactId, 'notes').length },
  );

  h.advance(4 * HOUR);
  sc.logActivity({ type: 'call', contactId, ownerId: rep, subject: '初回架電 / First call' });
  await h.settle();
  t.step(`営業（${rep ? (h.sandbox.portal().owners.find((o) => o.id === rep)?.lastName ?? rep) : '—'}）が初回架電`, 'the sales rep makes the first call');
  const met = h.contact(contactId);
  checks.push(
    { ja: 'A: 初回接触SLA達成', en: 'A: first-touch SLA met', ok: met.tossup_sla_first_touch === 'met', actual: met.tossup_sla_first_touch },
    { ja: 'A: 初回接触まで4時間', en: 'A: 4 hours to first touch', ok: met.tossup_first_touch_hours === '4', actual: met.tossup_first_touch_hours },
  );
  t.info(`結果: 初回接触SLA ${met.tossup_sla_first_touch ?? '—'}（${met.tossup_first_touch_hours ?? '—'} 時間）`, `outcome: first-touch SLA ${met.tossup_sla_first_touch ?? '—'} (${met.tossup_first_touch_hours ?? '—'} h)`);
  return [`リード A / Lead A: 山田 太郎（${companyName}・製造部 部長）`, t.lines()];
}

async function playLeadB(h: E2E, checks: Check[], userIdOf: (id: string) => number | undefined): Promise<[string, string[]]> {
  const sc = h.sandbox.scenario;
  const company = h.seed.companyIds[8]!; // 株式会社ひかり通信, 780 employees, owned by a field sales rep (not the manager)
  const companyName = h.sandbox.portal().objects.companies[company]!.properties.name ?? '';
  const isOwner = h.seed.ownerIds.insideSales[2]!;

  // The next morning, 10:00 JST.
  h.clock.set(Math.max(h.clock.now(), E2E_START + 8 * DAY_MS + HOUR));
  const { contactId } = sc.createContact({
    properties: { email: 'misaki.suzuki@hikari-tsushin.co.jp', firstname: '美咲', lastname: '鈴木', jobtitle: '情報システム本部 本部長', lifecyclestage: 'lead' },
    companyId: company,
    userId: userIdOf(h.seed.ownerIds.marketing[2]!),
  });
  await h.settle();
  const t = createLeadTimeline(h, contactId);
  t.step('展示会で名刺交換、マーケティングが登録', 'trade-show business card entered by Marketing');

  sc.attendEvent({ contactId });
  h.advance(DAY_MS);
  sc.logActivity({ type: 'call', contactId, ownerId: isOwner, subject: 'ヒアリング / Discovery call' });
  h.advance(10 * MINUTE);
  sc.setProperties({
    objectId: contactId,
    userId: userIdOf(isOwner),
    properties: { tossup_bant_authority: 'true', tossup_bant_need: 'true', tossup_bant_timeline: 'true', tossup_handoff_reason: '本部長本人が課題を明言、四半期内に選定 / The division head named the problem; selecting this quarter' },
  });
  await h.settle();
  t.step('セミナー参加の翌日、ISがヒアリング（決裁者・ニーズ・時期）→ MQL と同時にトスアップ', 'the day after the seminar, IS hears authority, need, timeline → MQL and hand-off at once');
  const handed = h.contact(contactId);
  const rep = handed.tossup_handoff_to ?? '';
  const handoffAt = timeOf(handed.tossup_sql_at) ?? 0;
  checks.push({ ja: 'B: トスアップ（SQL）', en: 'B: handed off (SQL)', ok: handed.tossup_stage === 'sql' && h.seed.ownerIds.fieldSales.includes(rep), actual: `${handed.tossup_stage} → ${rep}` });
  t.info('営業は何もしない…', 'Sales does nothing…');

  h.clock.set(handoffAt + 22 * HOUR + MINUTE);
  await h.tickSla();
  t.step('SLAスイープ（期限2時間前）', 'SLA sweep (2 h before the deadline)');
  h.clock.set(handoffAt + 24 * HOUR + MINUTE);
  await h.tickSla();
  t.step('SLAスイープ（期限超過）', 'SLA sweep (deadline passed)');
  h.advance(MINUTE);
  await h.tickSla();
  t.step('SLAスイープ（再実行: 重複エスカレーションなし）', 'SLA sweep again (no duplicate escalation)');

  const after = h.contact(contactId);
  const escalations = h.associated(contactId, 'tasks').filter((x) => (x.properties.hs_task_subject ?? '').includes('【SLA超過】'));
  const reminders = h.associated(contactId, 'tasks').filter((x) => (x.properties.hs_task_subject ?? '').includes('【リマインド】'));
  const manager = h.seed.managerOwnerIds.fieldSales;
  checks.push(
    { ja: 'B: 期限前リマインド1件', en: 'B: one reminder before the deadline', ok: reminders.length === 1 && reminders[0]?.properties.hubspot_owner_id === rep, actual: reminders.length },
    { ja: 'B: 初回接触SLA超過', en: 'B: first-touch SLA breached', ok: after.tossup_sla_first_touch === 'breached', actual: after.tossup_sla_first_touch },
    { ja: 'B: エスカレーションはちょうど1件（マネージャー宛）', en: 'B: exactly one escalation, to the manager', ok: escalations.length === 1 && escalations[0]?.properties.hubspot_owner_id === manager, actual: escalations.map((e) => e.properties.hubspot_owner_id).join(',') },
  );
  t.info(`結果: 初回接触SLA ${after.tossup_sla_first_touch ?? '—'}、期限 ${jst(timeOf(after.tossup_first_touch_due_at) ?? 0)}`, `outcome: first-touch SLA ${after.tossup_sla_first_touch ?? '—'}`);
  return [`リード B / Lead B: 鈴木 美咲（${companyName}・情報システム本部 本部長）`, t.lines()];
}

function printApiSummary(h: E2E): void {
  const stats = h.sandbox.stats();
  const portal = stats.portals[h.portalId];
  out('━━ HubSpot API 使用量（ストーリー部分、サンドボックス計測） / HubSpot API usage (the story, measured by the sandbox) ━━');
  out(`  呼び出し合計 / calls: ${portal?.calls ?? 0}   429: ${(portal?.rateLimited ?? 0) + (portal?.searchRateLimited ?? 0)}   Webhook 配信 / webhooks delivered: ${stats.webhooks.eventsDelivered} events in ${stats.webhooks.batchesDelivered} batches`);
  const endpoints = Object.entries(portal?.endpoints ?? {}).sort((a, b) => b[1].calls - a[1].calls);
  for (const [endpoint, e] of endpoints) out(`  ${String(e.calls).padStart(4)}  ${endpoint}`);
}

const watchdog = setTimeout(() => {
  process.stderr.write(`\ntossup demo: ${WATCHDOG_MS / 1000} 秒以内に終わりませんでした（処理が止まっています） / did not finish within ${WATCHDOG_MS / 1000} s (something is stuck)\n`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    process.stderr.write(`\ntossup demo: 失敗しました / failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
