import type { SeedSummary } from '../seed-portal';
import type { AdminClient } from './admin-client';
import { advanceText, contactText, stepText, type StepOutcome } from './play-commands';
import type { ContactView } from './contact-view';
import type { OutOfOfficeListView, RoutingPanelView } from '@tossup/shared/routing-dto';
import { awayText, routingText } from './routing-commands';

/**
 * `npm run sandbox -- story`: the demo's two leads (app/dev/demo/demo.ts) played on
 * the running instance, one CLI command at a time, each printed as the command a
 * person would type followed by what changed. Lead A is handed off and met in time;
 * lead B is handed off and left alone: reminder, breach, escalation; lead C comes
 * from a company in 大阪府 and is routed by a territory rule past a rep at capacity
 * and a rep out of office (issue 17).
 */
export type RunCommand = (argv: string[]) => Promise<unknown>;

export async function playStory(client: AdminClient, run: RunCommand, portalId: number, opts: { write: (line: string) => void; pauseMs: number }): Promise<string> {
  const seed = (await client.get(`/portals/${portalId}/seed`)) as SeedSummary & { seeded?: false };
  if (seed.seeded === false || !seed.companyIds) throw new Error('the story needs the seeded sample portal (start `npm start` with a fresh TOSSUP_DATA_DIR)');
  if (!(await client.appConnected())) throw new Error('the story needs the app next to the sandbox: run it under `npm start` (sandbox mode)');
  const tag = Date.now().toString(36);
  const users = (await run(['users', '--json'])) as { userId: number; ownerId: string }[];
  const userOf = (ownerId: string | undefined) => String(users.find((u) => u.ownerId === ownerId)?.userId ?? '');

  const step = async (title: string, argv: string[]): Promise<StepOutcome & { now?: number }> => {
    opts.write(`\n# ${title}`);
    opts.write(`$ npm run sandbox -- ${argv.map((a) => (/[\s|]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
    const out = (await run([...argv, '--json'])) as StepOutcome;
    if (argv[0] === 'advance') opts.write(advanceText(out as unknown as Parameters<typeof advanceText>[0]));
    else if (argv[0] === 'escalation' || argv[0]?.startsWith('routing-') === true) opts.write(String((out as unknown as { text?: string }).text ?? (out as unknown)));
    else if (argv[0] === 'routing') opts.write(routingText(out as unknown as RoutingPanelView));
    else if (argv[0] === 'create-company') opts.write(`  company / 会社: ${(out as unknown as { companyId: string }).companyId}`);
    else if (argv[0] === 'away') opts.write(awayText(out as unknown as OutOfOfficeListView));
    else if (argv[0] === 'show') opts.write(contactText(out as unknown as ContactView));
    else opts.write(stepText('→', out).split('\n').slice(1).join('\n') || '  (done)');
    if (opts.pauseMs > 0) await new Promise((r) => setTimeout(r, opts.pauseMs));
    return out;
  };
  const prop = (o: StepOutcome, key: string) => o.contact?.properties[key] ?? '';

  opts.write('━━ Settings / 設定 ━━');
  await step('フィールドセールス部のエスカレーション先 = マネージャー / field sales escalations go to its manager', ['escalation', '--team', seed.teamIds.fieldSales, '--to', seed.managerOwnerIds.fieldSales]);

  opts.write('━━ Lead A / リードA: 山田 太郎（北陸精密工業・製造部 部長）━━');
  const a = await step('展示会で名刺交換、マーケティングが登録 / Marketing enters the trade-show card', [
    'create-contact', `email=taro.yamada+${tag}@hokuriku-seimitsu.co.jp`, 'firstname=太郎', 'lastname=山田', 'jobtitle=製造部 部長', 'lifecyclestage=lead', '--company', seed.companyIds[2] ?? '', '--as', userOf(seed.ownerIds.marketing[1]),
  ]);
  const leadA = a.contactId ?? '';
  await step('翌日 / next day', ['advance', '1d']);
  await step('フォローメールを開封 ×3 / opens the follow-up e-mail ×3', ['open-email', leadA, '--email-id', seed.marketingEmailIds[0] ?? '', '--count', '3']);
  await step('', ['advance', '26h']);
  await step('資料ダウンロード / downloads the guide', ['download', leadA]);
  await step('', ['advance', '2d']);
  await step('セミナー案内を開封 ×2 / opens the seminar invitation ×2', ['open-email', leadA, '--email-id', seed.marketingEmailIds[2] ?? '', '--count', '2']);
  await step('', ['advance', '2d']);
  await step('セミナー申込 / registers for the seminar', ['register-event', leadA]);
  await step('セミナー参加 / attends the seminar', ['attend-event', leadA]);
  await step('', ['advance', '1d']);
  const mql = await step('問い合わせフォーム → MQL / inquiry form → MQL', ['submit-form', leadA, '--form', seed.formIds.inquiry]);
  const isRep = prop(mql, 'hubspot_owner_id');
  await step('', ['advance', '3h']);
  await step('IS がヒアリング電話 / IS discovery call', ['log-call', leadA, '--as', isRep, '--subject', 'ヒアリング / Discovery call']);
  const bantA = await step('IS が BANT と理由を記入 / IS ticks BANT and writes the reason', [
    'bant', leadA, '--budget', '--need', '--timeline', '--note-budget', '来期予算で導入前提', '--reason', '3か月以内に比較検討を開始。部長が決裁に関与 / Evaluating within 3 months', '--as', userOf(isRep),
  ]);
  if (prop(bantA, 'tossup_stage') !== 'sql') await step('IS がトスアップ / IS tosses up', ['toss-up', leadA, '--as', userOf(isRep)]);
  const repA = (await run(['show', leadA, '--json'])) as { properties: Record<string, string> };
  const rep = repA.properties.tossup_handoff_to ?? '';
  await step('', ['advance', '1h']);
  await step('営業が受入 / the sales rep accepts', ['accept', leadA, '--as', userOf(rep)]);
  await step('', ['advance', '3h']);
  await step('営業が初回架電 → SLA達成 / first call → SLA met', ['log-call', leadA, '--as', rep, '--subject', '初回架電 / First call']);
  await step('商談ステータス更新 / lead status', ['lead-status', leadA, '--status', 'CONNECTED', '--as', userOf(rep)]);

  opts.write('\n━━ Lead B / リードB: 鈴木 美咲（ひかり通信・情報システム本部 本部長）━━');
  const b = await step('展示会で名刺交換 / trade-show card', [
    'create-contact', `email=misaki.suzuki+${tag}@hikari-tsushin.co.jp`, 'firstname=美咲', 'lastname=鈴木', 'jobtitle=情報システム本部 本部長', 'lifecyclestage=lead', '--company', seed.companyIds[8] ?? '', '--as', userOf(seed.ownerIds.marketing[2]),
  ]);
  const leadB = b.contactId ?? '';
  await step('セミナー参加 / attends the seminar', ['attend-event', leadB]);
  await step('', ['advance', '1d']);
  const isB = seed.ownerIds.insideSales[2] ?? '';
  await step('IS がヒアリング / IS discovery call', ['log-call', leadB, '--as', isB, '--subject', 'ヒアリング / Discovery call']);
  const bantB = await step('BANT（決裁者・ニーズ・時期）/ BANT authority, need, timeline', [
    'bant', leadB, '--authority', '--need', '--timeline', '--reason', '本部長本人が課題を明言、四半期内に選定 / selecting this quarter', '--as', userOf(isB),
  ]);
  if (prop(bantB, 'tossup_stage') !== 'sql') await step('IS がトスアップ / IS tosses up', ['toss-up', leadB, '--as', userOf(isB)]);
  await step('営業は何もしない… 22時間後（期限2時間前）/ Sales does nothing… 22 h later', ['advance', '22h']);
  await step('期限超過 / the deadline passes', ['advance', '121m']);
  const final = (await step('エスカレーションを確認 / the escalation', ['show', leadB])) as unknown as ContactView;

  const leadC = await playKansaiLead(step, run, seed, { tag, busyRep: rep, userOf });
  return `\nstory done / ストーリー完了: lead A ${leadA}, lead B ${leadB} (first-touch SLA ${final.properties.tossup_sla_first_touch ?? '—'}), lead C ${leadC.contactId} (routed to ${leadC.to}); see each with \`npm run sandbox -- show <id>\``;
}

type Step = (title: string, argv: string[]) => Promise<StepOutcome & { now?: number }>;

/** The portal's calendar date (the seeded portal's business calendar is Asia/Tokyo), `days` later. */
function tokyoDate(now: number, days = 0): string {
  return new Date(now + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Lead C (issue 17): a lead from a new company in 大阪府. The admin sets up the
 * 西日本営業チーム pool and the territory rule 「地域ルール: 関西」; the rep who is
 * still working lead A has a cap of 1 (at capacity), a second rep is away on a
 * business trip (set from the card), so the third one receives it — and the tab
 * card's routing panel says why, step by step.
 */
async function playKansaiLead(step: Step, run: RunCommand, seed: SeedSummary, ctx: { tag: string; busyRep: string; userOf: (ownerId: string | undefined) => string }): Promise<{ contactId: string; to: string }> {
  const others = seed.ownerIds.fieldSales.slice(1).filter((o) => o !== ctx.busyRep);
  const [awayRep = '', freeRep = ''] = others;
  const clock = (await run(['clock', '--json'])) as { now: number };

  await step('\n━━ Lead C / リードC: 関西の新規会社 → 地域ルール → 西日本営業チーム ━━\n管理者が担当プールを作成（リードAを担当中の営業は上限1件）/ the admin creates the 西日本 pool (lead A\'s rep: cap 1)', [
    'routing-pool', '--id', 'west', '--name', '西日本営業チーム', '--members', `${ctx.busyRep}:1:1,${awayRep},${freeRep}`, '--cap-per-rep', '8',
  ]);
  await step('地域ルール: 大阪府・京都府・兵庫県の会社 → 西日本営業チーム / territory rule: Kansai companies → the 西日本 pool', [
    'routing-rule', '--id', 'kansai', '--name', '地域ルール: 関西', '--pool', 'west', 'state=大阪府,京都府,兵庫県',
  ]);
  await step('営業がカードから「不在設定」（出張）/ a rep sets out of office from the card (business trip)', [
    'away', '--as', awayRep, '--from', tokyoDate(clock.now), '--to', tokyoDate(clock.now, 9), '--note', '出張',
  ]);
  const company = (await step('大阪府の新規会社（担当営業なし）/ a new company in 大阪府, no owner yet', ['create-company', 'name=浪速精機株式会社', `domain=naniwa-seiki-${ctx.tag}.co.jp`, 'state=大阪府', 'city=大阪市', 'numberofemployees=900', 'industry=MACHINERY'])) as unknown as { companyId: string };
  const c = await step('大阪の新規会社の担当者が展示会で名刺交換 / a trade-show card from a new Osaka company', [
    'create-contact', `email=kenji.nishida+${ctx.tag}@naniwa-seiki.co.jp`, 'firstname=健二', 'lastname=西田', 'jobtitle=生産技術部 部長', 'lifecyclestage=lead', '--company', company.companyId, '--as', ctx.userOf(seed.ownerIds.marketing[1]),
  ]);
  const leadC = c.contactId ?? '';
  await step('セミナー参加 / attends the seminar', ['attend-event', leadC]);
  await step('', ['advance', '10m']);
  const isC = seed.ownerIds.insideSales[1] ?? '';
  await step('IS がヒアリング / IS discovery call', ['log-call', leadC, '--as', isC, '--subject', 'ヒアリング / Discovery call']);
  const bant = await step('BANT（予算・ニーズ・時期）→ トスアップ / BANT budget, need, timeline → hand-off', [
    'bant', leadC, '--budget', '--need', '--timeline', '--reason', '大阪工場の設備更新を年度内に決定 / Deciding on the Osaka plant upgrade this fiscal year', '--as', ctx.userOf(isC),
  ]);
  if ((bant.contact?.properties.tossup_stage ?? '') !== 'sql') await step('IS がトスアップ / IS tosses up', ['toss-up', leadC, '--as', ctx.userOf(isC)]);
  await step('割当の経緯（タブカードのルーティング欄）/ the path in words (tab card)', ['routing', leadC]);
  const shown = (await run(['show', leadC, '--json'])) as { properties: Record<string, string> };
  return { contactId: leadC, to: shown.properties.tossup_handoff_to ?? '' };
}
