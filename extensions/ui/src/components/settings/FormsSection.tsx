/**
 * Form classification (issue 16, "every setting on the page"): the words that put a
 * form into a category by its title, and per-form categories by exact title
 * (settings `forms`; the engine's reading is app/src/domain/forms.ts). When the section
 * is opened it lists the portal's forms — from HubSpot's Forms API when the portal granted
 * the `forms` scope, else the titles the app has seen — each with a button that adds it
 * as a per-form category.
 */
import { useEffect, useState } from 'react';
import { Accordion, Button, Flex, Input, Select, Text, TextArea } from '@hubspot/ui-extensions';
import type { ApiError, SettingsFormsView } from '@tossup/shared/card-dto';
import type { CardApiClient } from '../../client/card-api-client';
import { ActionError } from '../CardStates';
import { FORM_CATEGORIES, type PortalSettings } from '@tossup/shared/settings-schema';
import { say, type ConsoleMessageKey } from './console-messages';
import { listToText, textToList } from './settings-draft';
import { fieldProps, validationProps, type SettingsForm } from './settings-form';

type Override = PortalSettings['forms']['overrides'][number];
const CATEGORY_OPTIONS = [...FORM_CATEGORIES, 'ignore'] as const;

export function FormsSection({ form, client }: { form: SettingsForm; client: CardApiClient }) {
  const { i18n, s, readOnly, edit } = form;
  const overrides = s.forms.overrides;
  const section = form.section('forms');
  const [portalForms, setPortalForms] = useState<{ phase: 'idle' | 'loading' } | { phase: 'ready'; view: SettingsFormsView } | { phase: 'error'; error: ApiError }>({ phase: 'idle' });
  useEffect(() => {
    // Read once, when the admin first opens the section: the list costs HubSpot API calls.
    if (!section.open || portalForms.phase !== 'idle') return;
    setPortalForms({ phase: 'loading' });
    void client.listForms().then((r) => setPortalForms(r.ok ? { phase: 'ready', view: r.data } : { phase: 'error', error: r.error }));
  }, [section.open, portalForms.phase, client]);
  const fixed = new Set(overrides.map((o) => o.title));
  const setOverrides = (next: Override[]) => edit(['forms', 'overrides'], next);
  const category = (c: (typeof CATEGORY_OPTIONS)[number]) => say(i18n, `form_category_${c}` as ConsoleMessageKey);
  return (
    <Accordion title={say(i18n, 'forms_title')} {...section} testId="section-forms">
      <Flex direction="column" gap="sm">
        <Text variant="microcopy">{say(i18n, 'forms_help')}</Text>
        {FORM_CATEGORIES.map((c) => (
          <TextArea
            key={c}
            name={`form-pattern-${c}`}
            label={category(c)}
            value={listToText(s.forms.patterns[c])}
            rows={2}
            {...fieldProps(form, ['forms', 'patterns', c], textToList)}
            testId={`form-pattern-${c}`}
          />
        ))}
        <Text format={{ fontWeight: 'demibold' }}>{say(i18n, 'forms_overrides')}</Text>
        {overrides.map((o, i) => (
          <Flex key={i} direction="row" gap="sm" align="end">
            <Input
              name={`form-override-${i}-title`}
              label={say(i18n, 'forms_override_title')}
              value={o.title}
              readOnly={readOnly}
              {...validationProps(form, ['forms', 'overrides', String(i), 'title'])}
              onChange={(v: string) => setOverrides(overrides.map((x, j) => (j === i ? { ...x, title: v } : x)))}
              testId={`form-override-${i}-title`}
            />
            <Select
              name={`form-override-${i}-category`}
              label={say(i18n, 'forms_override_category')}
              value={o.category}
              readOnly={readOnly}
              options={CATEGORY_OPTIONS.map((c) => ({ value: c, label: category(c) }))}
              onChange={(v) => setOverrides(overrides.map((x, j) => (j === i ? { ...x, category: v as Override['category'] } : x)))}
              testId={`form-override-${i}-category`}
            />
            {!readOnly ? (
              <Button size="xs" variant="transparent" onClick={() => setOverrides(overrides.filter((_, j) => j !== i))} testId={`form-override-${i}-remove`}>
                {say(i18n, 'builder_remove')}
              </Button>
            ) : null}
          </Flex>
        ))}
        {!readOnly ? (
          <Button size="xs" variant="secondary" onClick={() => setOverrides([...overrides, { title: '', category: 'inquiry' }])} testId="form-override-add">
            {say(i18n, 'forms_override_add')}
          </Button>
        ) : null}
        {portalForms.phase === 'loading' ? <Text variant="microcopy">{say(i18n, 'forms_portal_loading')}</Text> : null}
        {portalForms.phase === 'error' ? <ActionError i18n={i18n} error={portalForms.error} /> : null}
        {portalForms.phase === 'ready' ? (
          <Flex direction="column" gap="xs" testId="portal-forms">
            <Text format={{ fontWeight: 'demibold' }}>{say(i18n, portalForms.view.source === 'hubspot' ? 'forms_portal_hubspot' : 'forms_portal_seen')}</Text>
            {portalForms.view.source === 'seen' ? (
              <Text variant="microcopy" testId="portal-forms-why">
                {say(i18n, portalForms.view.reason === 'missing_scope' ? 'forms_portal_no_scope' : 'forms_portal_error')}
              </Text>
            ) : null}
            {portalForms.view.forms.length === 0 ? <Text variant="microcopy">{say(i18n, 'forms_portal_none')}</Text> : null}
            {portalForms.view.forms.map((f, i) => (
              <Flex key={f.id ?? f.title} direction="row" gap="sm" align="center">
                <Text testId={`portal-form-${i}`}>{say(i18n, 'forms_portal_line', { title: f.title, n: f.submissions })}</Text>
                {!readOnly && !fixed.has(f.title) ? (
                  <Button size="xs" variant="transparent" onClick={() => setOverrides([...overrides, { title: f.title, category: 'inquiry' }])} testId={`portal-form-${i}-add`}>
                    {say(i18n, 'forms_portal_add')}
                  </Button>
                ) : null}
              </Flex>
            ))}
          </Flex>
        ) : null}
      </Flex>
    </Accordion>
  );
}
