/** Department mapping: each HubSpot team → Marketing, Inside Sales, Sales, by name, or not part of the flow; and the team-name words used for teams left on automatic. */
import { Accordion, Flex, Select, Text, TextArea } from '@hubspot/ui-extensions';
import type { TeamRef } from '@tossup/shared/card-dto';
import type { PortalSettings } from '@tossup/shared/settings-schema';
import { say } from './console-messages';
import { listToText, textToList } from './settings-draft';
import { fieldProps, type SettingsForm } from './settings-form';

type TeamDepartment = PortalSettings['departments']['teamMap'][string];

export function DepartmentsSection({ form, teams }: { form: SettingsForm; teams: readonly TeamRef[] }) {
  const { i18n, s, readOnly, edit } = form;
  return (
    <Accordion title={i18n.t('settings_departments')} {...form.section('departments')} testId="section-departments">
      <Flex direction="column" gap="sm">
        <Text variant="microcopy">{i18n.t('settings_departments_help')}</Text>
        {teams.map((team) => (
          <Select
            key={team.id}
            name={`team-${team.id}`}
            label={team.name}
            readOnly={readOnly}
            value={s.departments.teamMap[team.id] ?? 'auto'}
            options={[
              { value: 'auto', label: i18n.t('set_dept_auto') },
              { value: 'inside_sales', label: i18n.t('dept_inside_sales') },
              { value: 'marketing', label: i18n.t('dept_marketing') },
              { value: 'sales', label: i18n.t('dept_sales') },
              { value: 'none', label: i18n.t('set_dept_none') },
            ]}
            testId={`team-${team.id}`}
            onChange={(value) => {
              const next = { ...s.departments.teamMap };
              if (value === 'auto') delete next[team.id];
              else next[team.id] = value as TeamDepartment;
              edit(['departments', 'teamMap'], next);
            }}
          />
        ))}
        <Text format={{ fontWeight: 'demibold' }}>{say(i18n, 'team_patterns')}</Text>
        {(['inside_sales', 'marketing', 'sales'] as const).map((dept) => (
          <TextArea
            key={dept}
            name={`team-pattern-${dept}`}
            label={i18n.t(`dept_${dept}`)}
            value={listToText(s.departments.namePatterns[dept])}
            rows={2}
            {...fieldProps(form, ['departments', 'namePatterns', dept], textToList)}
            testId={`team-pattern-${dept}`}
          />
        ))}
      </Flex>
    </Accordion>
  );
}
