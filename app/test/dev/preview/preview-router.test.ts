/**
 * The local preview renders every state of every card from the real components,
 * in both languages (the screenshots in the README come from these pages).
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewRouter } from '../../../dev/preview/preview-router';
import { PREVIEW_STATES } from '../../../dev/preview/preview-states';

describe('preview router', () => {
  let origin = '';
  let close: () => void = () => undefined;
  beforeAll(async () => {
    const app = express();
    app.use('/preview', createPreviewRouter());
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('lists every state in both languages', async () => {
    const html = await (await fetch(`${origin}/preview/`)).text();
    for (const s of PREVIEW_STATES) {
      expect(html).toContain(`${s.card}/${s.id}?lang=ja`);
      expect(html).toContain(`${s.card}/${s.id}?lang=en`);
    }
  });

  it.each([
    ['handoff/gate-blocked', 'ja', ['トスアップするには次の項目が不足しています', 'BANTが2項目以上必要です（確認済 1項目）', '<button class="btn btn-primary" disabled data-testid="toss-up">トスアップ</button>']],
    ['handoff/after-toss-up', 'en', ['Handed off to Sales', 'A first-touch task went to 鈴木 健太']],
    ['handoff/rep-breached', 'ja', ['初回接触の期限を3時間0分超過', '田中 一郎さんにエスカレーションしました', '佐藤 美咲 → 鈴木 健太']],
    ['handoff/manager', 'en', ['First touch overdue by 3 h 0 min', 'Escalated to 田中 一郎']],
    ['timeline/rep', 'ja', ['対応の重複に注意', '流れと逆の接触：営業の後、72時間以内にインサイドセールスが接触しました', '受け入れる', '<div class="pager">‹ 1 / 2 ›</div>']],
    ['timeline/reject-form', 'en', ['Reason for rejecting (required)', 'Confirm reject']],
    ['settings/preview', 'ja', ['現在の 200 件のコンタクトのうち 12 件の段階が変わります。', 'エスカレーション先が未設定です']],
    ['settings/invalid', 'en', ['Must be at most 4']],
  ])('renders %s (%s) with the real components', async (path, lang, expected) => {
    const res = await fetch(`${origin}/preview/${path}?lang=${lang}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const text of expected) expect(html).toContain(text);
    expect(html).not.toContain('data-component=');
  });

  it('answers 404 for an unknown state', async () => {
    expect((await fetch(`${origin}/preview/handoff/nope`)).status).toBe(404);
  });
});
