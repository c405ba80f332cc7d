/** The business calendar SLA hours count in: time zone, working hours and days, holidays and closed dates. */
import { Flex, Input, TextArea, Toggle, ToggleGroup } from '@hubspot/ui-extensions';
import type { MessageKey } from '@tossup/shared/i18n';
import { listToText, textToList } from './settings-draft';
import { fieldProps, toggleProps, validationProps, type SettingsForm } from './settings-form';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const BASE = ['sla', 'calendar', 'business'] as const;

export function BusinessCalendarFields({ form }: { form: SettingsForm }) {
  const { i18n, readOnly } = form;
  const b = form.s.sla.calendar.business;
  return (
    <Flex direction="column" gap="sm" testId="business-calendar">
      <Input name="timezone" label={i18n.t('set_timezone')} value={b.timeZone} {...fieldProps(form, [...BASE, 'timeZone'])} />
      <Flex direction="row" gap="sm">
        <Input name="work-start" label={i18n.t('set_work_start')} value={b.workStart} {...fieldProps(form, [...BASE, 'workStart'])} />
        <Input name="work-end" label={i18n.t('set_work_end')} value={b.workEnd} {...fieldProps(form, [...BASE, 'workEnd'])} testId="work-end" />
      </Flex>
      <ToggleGroup
        toggleType="checkboxList"
        name="work-days"
        label={i18n.t('set_work_days')}
        inline
        value={b.workDays.map(String)}
        options={WEEKDAYS.map((d) => ({ value: String(d), label: i18n.t(`wd_${d}` as MessageKey), readOnly }))}
        {...validationProps(form, [...BASE, 'workDays'])}
        onChange={(values: string[]) => form.edit([...BASE, 'workDays'], values.map(Number).sort((x, y) => x - y))}
      />
      <Toggle label={i18n.t('set_holidays')} checked={b.japaneseHolidays} {...toggleProps(form, [...BASE, 'japaneseHolidays'])} />
      <TextArea name="closed-dates" label={i18n.t('set_closed_dates')} value={listToText(b.closedDates)} {...fieldProps(form, [...BASE, 'closedDates'], textToList)} />
    </Flex>
  );
}
