/** SLA hours and how they are counted: wall clock, or the business calendar (BusinessCalendarFields). */
import { Accordion, Flex, Input, NumberInput, Select } from '@hubspot/ui-extensions';
import { BusinessCalendarFields } from './BusinessCalendarFields';
import { listToText, textToNumbers } from './settings-draft';
import { fieldProps, type SettingsForm } from './settings-form';

const HOURS = [
  ['firstTouchHours', 'set_first_touch_hours'],
  ['statusUpdateHours', 'set_status_update_hours'],
  ['mqlFollowUpHours', 'set_mql_followup_hours'],
] as const;

export function SlaSection({ form }: { form: SettingsForm }) {
  const { i18n, s, readOnly, edit } = form;
  return (
    <Accordion title={i18n.t('settings_sla')} {...form.section('sla')} testId="section-sla">
      <Flex direction="column" gap="sm">
        {HOURS.map(([field, label]) => (
          <NumberInput key={field} name={field} label={i18n.t(label)} value={s.sla[field]} {...fieldProps(form, ['sla', field])} testId={`sla-${field}`} />
        ))}
        <Input
          name="reminders"
          label={i18n.t('set_reminders')}
          value={listToText(s.sla.remindersBeforeHours)}
          {...fieldProps(form, ['sla', 'remindersBeforeHours'], textToNumbers)}
        />
        <Select
          name="calendar-mode"
          label={i18n.t('set_calendar_mode')}
          value={s.sla.calendar.mode}
          readOnly={readOnly}
          options={[
            { value: 'wall_clock', label: i18n.t('set_wall_clock') },
            { value: 'business_hours', label: i18n.t('set_business_hours') },
          ]}
          testId="calendar-mode"
          onChange={(v) => edit(['sla', 'calendar', 'mode'], v === 'business_hours' ? 'business_hours' : 'wall_clock')}
        />
        {s.sla.calendar.mode === 'business_hours' ? <BusinessCalendarFields form={form} /> : null}
      </Flex>
    </Accordion>
  );
}
