/** Routing: hand-offs to the company owner, escalation owners per team, and where rejected leads go. */
import { Accordion, Flex, NumberInput, Select, Toggle } from '@hubspot/ui-extensions';
import type { PersonRef, TeamRef } from '@tossup/shared/card-dto';
import { EscalationOwners } from './EscalationOwners';
import { fieldProps, toggleProps, type SettingsForm } from './settings-form';

export function RoutingSection({ form, teams, owners }: { form: SettingsForm; teams: readonly TeamRef[]; owners: readonly PersonRef[] }) {
  const { i18n, s, readOnly, edit } = form;
  return (
    <Accordion title={i18n.t('settings_routing')} {...form.section('routing')} testId="section-routing">
      <Flex direction="column" gap="sm">
        <Toggle label={i18n.t('set_prefer_company_owner')} checked={s.routing.preferCompanyOwner} {...toggleProps(form, ['routing', 'preferCompanyOwner'])} />
        <EscalationOwners form={form} teams={teams} owners={owners} />
        <NumberInput name="cool-off" label={i18n.t('set_cool_off')} value={s.recycle.coolOffDays} {...fieldProps(form, ['recycle', 'coolOffDays'])} />
        <Select
          name="recycle-destination"
          label={i18n.t('set_recycle_destination')}
          value={s.recycle.destination}
          readOnly={readOnly}
          options={[
            { value: 'inside_sales', label: i18n.t('reject_return_is') },
            { value: 'nurture', label: i18n.t('reject_return_nurture') },
          ]}
          onChange={(v) => edit(['recycle', 'destination'], v === 'nurture' ? 'nurture' : 'inside_sales')}
        />
      </Flex>
    </Accordion>
  );
}
