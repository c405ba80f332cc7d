/** The escalation owner per HubSpot team: who receives SLA breach escalations for that team's reps (docs/product.md §6). */
import { Select } from '@hubspot/ui-extensions';
import type { PersonRef, TeamRef } from '@tossup/shared/card-dto';
import type { SettingsForm } from './settings-form';

export function EscalationOwners({ form, teams, owners }: { form: SettingsForm; teams: readonly TeamRef[]; owners: readonly PersonRef[] }) {
  const { i18n, s, readOnly, edit } = form;
  return (
    <>
      {teams.map((team) => (
        <Select
          key={team.id}
          name={`escalation-${team.id}`}
          label={i18n.t('set_escalation_owner', { team: team.name })}
          readOnly={readOnly}
          value={s.escalation.ownersByTeam[team.id] ?? ''}
          options={[{ value: '', label: i18n.t('set_escalation_unset') }, ...owners.map((o) => ({ value: o.ownerId, label: o.name }))]}
          testId={`escalation-${team.id}`}
          onChange={(value) => {
            const next = { ...s.escalation.ownersByTeam };
            if (value === '') delete next[team.id];
            else next[team.id] = String(value);
            edit(['escalation', 'ownersByTeam'], next);
          }}
        />
      ))}
    </>
  );
}
