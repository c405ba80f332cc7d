/**
 * The settings page's state: the loaded view, the admin's draft, the raw text of
 * the JSON rule editors, the preview of the draft and the save. Saving needs a
 * preview of exactly the current draft (docs/product.md "Admins").
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CardApiClient } from '../../client/card-api-client';
import type { ApiError, SettingsPreviewView, SettingsView } from '@tossup/shared/card-dto';
import type { PortalSettings, RuleExpr } from '@tossup/shared/settings-schema';
import type { ActionsLike, I18n } from '../card-context';
import { RULE_KINDS, ruleOf, rulePath, setIn, validationMessages, withFactThreshold, withMqlScoreThreshold, type RuleKind } from './settings-draft';

export type { RuleKind } from './settings-draft';

const ruleTexts = (s: PortalSettings) => Object.fromEntries(RULE_KINDS.map((k) => [k, JSON.stringify(ruleOf(s, k), null, 2)])) as Record<RuleKind, string>;
const NO_JSON_ERRORS: Record<RuleKind, boolean> = { mql: false, sql: false, gate: false };

type Load = { phase: 'loading' } | { phase: 'error'; error: ApiError } | { phase: 'ready'; view: SettingsView<PortalSettings> };

export function useSettingsEditor(client: CardApiClient, actions: ActionsLike, i18n: I18n) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [draft, setDraft] = useState<PortalSettings | null>(null);
  /** Raw text of the advanced JSON rule editors, so a half-typed rule is not lost. */
  const [ruleText, setRuleText] = useState<Record<RuleKind, string>>({ mql: '', sql: '', gate: '' });
  const [ruleJsonError, setRuleJsonError] = useState<Record<RuleKind, boolean>>(NO_JSON_ERRORS);
  const [preview, setPreview] = useState<{ forDraft: string; result: SettingsPreviewView } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  const adopt = (view: SettingsView<PortalSettings>) => {
    setLoad({ phase: 'ready', view });
    setDraft(view.settings);
    setRuleText(ruleTexts(view.settings));
    setRuleJsonError(NO_JSON_ERRORS);
    setPreview(null);
  };

  const reload = useCallback(async () => {
    setLoad({ phase: 'loading' });
    const r = await client.getSettings<PortalSettings>();
    if (r.ok) adopt(r.data);
    else setLoad({ phase: 'error', error: r.error });
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const messages = useMemo(() => (draft ? validationMessages(draft, i18n.locale) : {}), [draft, i18n.locale]);

  if (load.phase !== 'ready') return { ...load, reload };
  const view = load.view;
  const s = draft ?? view.settings;
  const draftKey = JSON.stringify(s);
  const previewCurrent = preview !== null && preview.forDraft === draftKey;
  const edit = (path: readonly string[], value: unknown) => setDraft(setIn(s, path, value));

  const runPreview = async () => {
    setBusy('preview');
    setActionError(null);
    const r = await client.previewSettings(s);
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    setPreview({ forDraft: draftKey, result: r.data });
  };

  const save = async () => {
    setBusy('save');
    setActionError(null);
    const r = await client.saveSettings<PortalSettings>(s, view.version);
    setBusy(null);
    if (!r.ok) return setActionError(r.error);
    adopt(r.data);
    actions.addAlert({ type: 'success', message: i18n.t('settings_saved') });
  };

  const editRule = (which: RuleKind, text: string) => {
    setRuleText({ ...ruleText, [which]: text });
    try {
      const parsed = JSON.parse(text) as RuleExpr;
      setRuleJsonError({ ...ruleJsonError, [which]: false });
      setDraft(setIn(s, rulePath(which), parsed));
    } catch {
      setRuleJsonError({ ...ruleJsonError, [which]: true });
    }
  };

  /** The rule builder and the threshold fields rewrite the rule, and its JSON view with it. */
  const setRule = (which: RuleKind, rule: RuleExpr) => {
    setRuleText({ ...ruleText, [which]: JSON.stringify(rule, null, 2) });
    setRuleJsonError({ ...ruleJsonError, [which]: false });
    edit(rulePath(which), rule);
  };

  const editMqlThreshold = (value: number) => setRule('mql', withMqlScoreThreshold(s.rules.mql, value));
  /** The gate's 「BANT n項目以上」 field. */
  const editMinBant = (value: number) => setRule('gate', withFactThreshold(s.gate.rule, 'bant_count', value));

  return {
    phase: load.phase,
    reload,
    view,
    s,
    messages,
    valid: Object.keys(messages).length === 0 && !RULE_KINDS.some((k) => ruleJsonError[k]),
    preview: previewCurrent ? preview.result : null,
    busy,
    actionError,
    ruleText,
    ruleJsonError,
    edit,
    editRule,
    editMqlThreshold,
    editMinBant,
    setRule,
    runPreview,
    save,
    cancel: () => adopt(view),
  } as const;
}

/** The editor once the settings are loaded: what the page's sections work with. */
export type SettingsEditor = Extract<ReturnType<typeof useSettingsEditor>, { phase: 'ready' }>;
