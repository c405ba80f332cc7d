/**
 * Form classification (issue 16, "every setting on the page"): the words that put a
 * form into a category by its title, and per-form categories by exact title
 * (settings `forms`; the engine's reading is app/src/domain/forms.ts).
 */
import { Accordion, Button, Flex, Input, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { FORM_CATEGORIES, type PortalSettings } from '@tossup/shared/settings-schema';
import { say, type ConsoleMessageKey } from './console-messages';
import { listToText, textToList } from './settings-draft';
import { fieldProps, validationProps, type SettingsForm } from './settings-form';

type Override = PortalSettings['forms']['overrides'][number];
const CATEGORY_OPTIONS = [...FORM_CATEGORIES, 'ignore'] as const;

export function FormsSection({ form }: { form: SettingsForm }) {
  const { i18n, s, readOnly, edit } = form;
  const overrides = s.forms.overrides;
  const setOverrides = (next: Override[]) => edit(['forms', 'overrides'], next);
  const category = (c: (typeof CATEGORY_OPTIONS)[number]) => say(i18n, `form_category_${c}` as ConsoleMessageKey);
  return (
    <Accordion title={say(i18n, 'forms_title')} {...form.section('forms')} testId="section-forms">
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
      </Flex>
    </Accordion>
  );
}
