import { describe, expect, it } from 'vitest';
import { Button, LoadingButton, NumberInput, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';
import { okResult, settingsView } from '../fixtures/card-fixtures';
import { fakeActions, fakeApi, fire } from './fake-api';

const WORDS = {
  ja: { locale: 'ja-JP', score: 'スコア合計', opens: 'メール開封数', and: 'すべて満たす（AND）', tooBig: '100000以下にしてください', empty: '1件以上必要です', not: '次を満たさない（NOT）', gate: 'トスアップの品質基準（関門）', bant: 'BANT確認数', budget: 'BANT: 予算確認済', fourMax: '4以下にしてください' },
  en: { locale: 'en', score: 'Total score', opens: 'Email opens', and: 'All of them (AND)', tooBig: 'Must be at most 100000', empty: 'At least 1 item(s) required', not: 'None of this (NOT)', gate: 'Hand-off quality gate', bant: 'BANT items confirmed', budget: 'BANT: budget confirmed', fourMax: 'Must be at most 4' },
} as const;

// The article's MQL rule: (score ≥ 70 AND inquiry) OR (seminar attended AND need).
describe.each(['ja', 'en'] as const)('rule builder (%s)', (lang) => {
  const w = WORDS[lang];
  const setup = (canEdit = true) => {
    const r = createRenderer('settings');
    r.render(<SettingsPage context={{ user: { locale: w.locale }, portal: { timezone: 'Asia/Tokyo' } }} actions={fakeActions()} api={fakeApi({ getSettings: async () => okResult(settingsView({ canEdit })) })} />);
    return r;
  };
  type R = ReturnType<typeof setup>;
  const ready = (r: R) => r.waitFor(() => expect(r.findByTestId(Select, 'rule-mql-root-kind')).toBeTruthy());
  const click = (r: R, id: string) => r.findByTestId(Button, id).trigger('onClick');
  const mqlJson = (r: R) => JSON.parse(r.findByTestId(TextArea, 'rule-mql').props.value as string) as unknown;

  it('shows the rule as conditions with the shared ja/en labels, no JSON needed', async () => {
    const r = setup();
    await ready(r);
    expect(r.findByTestId(Select, 'rule-mql-root-kind').props.value).toBe('or');
    expect(r.findByTestId(Select, 'rule-mql-0-kind').props.options?.find((o: { value: unknown }) => o.value === 'and')?.label).toBe(w.and);
    const fact = r.findByTestId(Select, 'rule-mql-0-0-fact');
    expect(fact.props.value).toBe('score');
    expect(fact.props.options?.find((o: { value: unknown }) => o.value === 'score')?.label).toBe(w.score);
    expect(r.findByTestId(Select, 'rule-mql-0-0-op').props.value).toBe('gte');
    expect(r.findByTestId(NumberInput, 'rule-mql-0-0-value').props.value).toBe(70);
    expect(r.findByTestId(Select, 'rule-sql-root-kind').props.value).toBe('and');
  });

  it('adds a condition, turns it into a comparison, and keeps the JSON view in step', async () => {
    const r = setup();
    await ready(r);
    click(r, 'rule-mql-0-add');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-mql-0-2-fact').props.value).toBe('inquiry_submitted'));
    fire(r.findByTestId(Select, 'rule-mql-0-2-fact'), 'onChange', 'email_opens');
    await r.waitFor(() => expect(r.findByTestId(NumberInput, 'rule-mql-0-2-value').props.value).toBe(0));
    expect(r.findByTestId(Select, 'rule-mql-0-2-fact').props.options?.find((o: { value: unknown }) => o.value === 'email_opens')?.label).toBe(w.opens);
    fire(r.findByTestId(NumberInput, 'rule-mql-0-2-value'), 'onChange', 3);
    await r.waitFor(() => expect(mqlJson(r)).toMatchObject({ type: 'or', of: [{ type: 'and', of: [{}, {}, { type: 'compare', fact: 'email_opens', op: 'gte', value: 3 }] }, {}] }));
  });

  it('groups with AND / OR and negates with NOT', async () => {
    const r = setup();
    await ready(r);
    click(r, 'rule-mql-root-add-group');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-mql-2-kind').props.value).toBe('and'));
    fire(r.findByTestId(Select, 'rule-mql-2-kind'), 'onChange', 'or');
    click(r, 'rule-mql-1-1-not');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-mql-1-1-0-fact').props.value).toBe('bant_need'));
    expect(r.findAll(Text).map((t) => t.text)).toContain(w.not);
    expect(mqlJson(r)).toMatchObject({ of: [{}, { of: [{}, { type: 'not', of: { type: 'flag', fact: 'bant_need' } }] }, { type: 'or', of: [{ type: 'flag' }] }] });
    click(r, 'rule-mql-1-1-not');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-mql-1-1-fact').props.value).toBe('bant_need'));
  });

  it('removes a condition and a group', async () => {
    const r = setup();
    await ready(r);
    click(r, 'rule-mql-0-1-remove');
    await r.waitFor(() => expect(r.maybeFindByTestId(Select, 'rule-mql-0-1-fact')).toBeNull());
    click(r, 'rule-mql-1-remove');
    await r.waitFor(() => expect(mqlJson(r)).toEqual({ type: 'or', of: [{ type: 'and', of: [{ type: 'compare', fact: 'score', op: 'gte', value: 70 }] }] }));
    expect(r.maybeFindByTestId(Button, 'rule-mql-root-remove')).toBeNull();
  });

  it('shows the schema\'s message next to the condition or group it names, and blocks preview', async () => {
    const r = setup();
    await ready(r);
    fire(r.findByTestId(NumberInput, 'rule-mql-0-0-value'), 'onChange', 1e9);
    await r.waitFor(() => expect(r.findByTestId(NumberInput, 'rule-mql-0-0-value').props.validationMessage).toBe(w.tooBig));
    expect(r.findByTestId(LoadingButton, 'preview').props.disabled).toBe(true);
    fire(r.findByTestId(NumberInput, 'rule-mql-0-0-value'), 'onChange', 80);
    click(r, 'rule-mql-root-add-group');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-mql-2-0-fact')).toBeTruthy());
    click(r, 'rule-mql-2-0-remove');
    await r.waitFor(() => expect(r.findByTestId(Text, 'rule-mql-2-error').text).toBe(w.empty));
    expect(r.findByTestId(LoadingButton, 'preview').props.disabled).toBe(true);
  });

  it('edits the hand-off gate like the rules: the article\'s three conditions, a new one, the BANT minimum in step', async () => {
    const r = setup();
    await ready(r);
    const gateJson = () => JSON.parse(r.findByTestId(TextArea, 'rule-gate').props.value as string) as unknown;
    expect(r.findAll(Text).map((t) => t.text)).toContain(w.gate);
    expect(r.findByTestId(Select, 'rule-gate-root-kind').props.value).toBe('and');
    expect(r.findByTestId(Select, 'rule-gate-0-fact').props.options?.find((o: { value: unknown }) => o.value === 'bant_count')?.label).toBe(w.bant);
    expect(r.findByTestId(NumberInput, 'rule-gate-0-value').props.value).toBe(2);
    expect(r.findByTestId(Select, 'rule-gate-1-fact').props.value).toBe('last_contacted_recorded');
    expect(r.findByTestId(Select, 'rule-gate-2-fact').props.value).toBe('handoff_reason_present');
    click(r, 'rule-gate-root-add');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-gate-3-fact')).toBeTruthy());
    fire(r.findByTestId(Select, 'rule-gate-3-fact'), 'onChange', 'bant_budget');
    await r.waitFor(() => expect(r.findByTestId(Select, 'rule-gate-3-fact').props.options?.find((o: { value: unknown }) => o.value === 'bant_budget')?.label).toBe(w.budget));
    fire(r.findByTestId(NumberInput, 'min-bant'), 'onChange', 3);
    await r.waitFor(() => expect(r.findByTestId(NumberInput, 'rule-gate-0-value').props.value).toBe(3));
    expect(gateJson()).toEqual({
      type: 'and',
      of: [{ type: 'compare', fact: 'bant_count', op: 'gte', value: 3 }, { type: 'flag', fact: 'last_contacted_recorded' }, { type: 'flag', fact: 'handoff_reason_present' }, { type: 'flag', fact: 'bant_budget' }],
    });
    fire(r.findByTestId(NumberInput, 'rule-gate-0-value'), 'onChange', 5);
    await r.waitFor(() => expect(r.findByTestId(NumberInput, 'rule-gate-0-value').props.validationMessage).toBe(w.fourMax));
    expect(r.findByTestId(NumberInput, 'min-bant').props.validationMessage).toBe(w.fourMax);
    expect(r.findByTestId(LoadingButton, 'preview').props.disabled).toBe(true);
  });

  it('is read-only for a non-admin', async () => {
    const r = setup(false);
    await ready(r);
    expect(r.findByTestId(Select, 'rule-mql-0-0-fact').props.readOnly).toBe(true);
    for (const id of ['rule-mql-root-add', 'rule-mql-0-0-remove', 'rule-mql-0-0-not']) expect(r.maybeFindByTestId(Button, id)).toBeNull();
  });
});
