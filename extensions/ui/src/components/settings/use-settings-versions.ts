/**
 * State of the settings page's history (issue 16): the version list (loaded on
 * demand), saving the edited settings as a draft, publishing, restoring, the JSON of
 * a version (export) and importing a pasted JSON after seeing its diff against the
 * live settings. Publishing and restoring change the live settings, so the page's
 * editor reloads after them (`onLiveChanged`).
 */
import { useState } from 'react';
import type { ApiError, SettingsDiffView, SettingsVersionsView } from '@tossup/shared/card-dto';
import type { CardApiClient } from '../../client/card-api-client';
import type { ActionsLike, I18n } from '../card-context';
import { say } from './console-messages';

export type VersionsBusy = 'list' | 'draft' | 'import' | `publish:${number}` | `restore:${number}` | `export:${number}` | null;

export function useSettingsVersions(client: CardApiClient, actions: ActionsLike, i18n: I18n, onLiveChanged: () => void) {
  const [list, setList] = useState<SettingsVersionsView | null>(null);
  const [busy, setBusy] = useState<VersionsBusy>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [exported, setExported] = useState<{ versionNo: number; json: string } | null>(null);
  const [importText, setImportText] = useState('');
  const [importParsed, setImportParsed] = useState<unknown>(undefined);
  const [importBadJson, setImportBadJson] = useState(false);
  const [importDiff, setImportDiff] = useState<SettingsDiffView | null>(null);

  /** Runs one call with the busy flag and the shared error slot; returns the data or null. */
  async function run<T>(flag: VersionsBusy, call: () => Promise<{ ok: true; data: T } | { ok: false; error: ApiError }>): Promise<T | null> {
    setBusy(flag);
    setError(null);
    const r = await call();
    setBusy(null);
    if (!r.ok) {
      setError(r.error);
      return null;
    }
    return r.data;
  }

  const load = async () => {
    const data = await run('list', () => client.listSettingsVersions());
    if (data) setList(data);
  };

  const saveDraft = async (settings: unknown) => {
    const v = await run('draft', () => client.saveSettingsDraft(settings));
    if (!v) return;
    actions.addAlert({ type: 'success', message: say(i18n, 'draft_saved', { n: v.versionNo }) });
    await load();
  };

  const publish = async (versionNo: number) => {
    const v = await run(`publish:${versionNo}`, () => client.publishSettingsVersion(versionNo));
    if (!v) return;
    actions.addAlert({ type: 'success', message: say(i18n, 'version_published', { n: v.versionNo }) });
    await load();
    onLiveChanged();
  };

  const restore = async (versionNo: number) => {
    const v = await run(`restore:${versionNo}`, () => client.restoreSettingsVersion(versionNo));
    if (!v) return;
    actions.addAlert({ type: 'success', message: say(i18n, 'version_restored_done', { from: versionNo, n: v.versionNo }) });
    await load();
    onLiveChanged();
  };

  const exportVersion = async (versionNo: number) => {
    const doc = await run(`export:${versionNo}`, () => client.getSettingsVersion(versionNo));
    if (doc) setExported({ versionNo, json: JSON.stringify(doc.settings, null, 2) });
  };

  const editImport = (text: string) => {
    setImportText(text);
    setImportDiff(null);
    try {
      setImportParsed(JSON.parse(text));
      setImportBadJson(false);
    } catch {
      setImportParsed(undefined);
      setImportBadJson(text.trim() !== '');
    }
  };

  const checkImport = async () => {
    if (importParsed === undefined) return;
    const diff = await run('import', () => client.diffSettings(importParsed));
    if (diff) setImportDiff(diff);
  };

  const importAsDraft = async () => {
    if (importParsed === undefined || !importDiff) return;
    await saveDraft(importParsed);
    setImportText('');
    setImportParsed(undefined);
    setImportDiff(null);
  };

  return { list, busy, error, exported, importText, importBadJson, importDiff, load, saveDraft, publish, restore, exportVersion, editImport, checkImport, importAsDraft } as const;
}

export type SettingsVersions = ReturnType<typeof useSettingsVersions>;
