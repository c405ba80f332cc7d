/**
 * Whether the lead may be handed off now, and if not, every missing item by name —
 * the backend's evaluation of the SQL rule and the hand-off gate, never re-derived
 * here (issue 16 may turn the gate into a rule expression; the card reads the result).
 */
import { Alert, List, Text } from '@hubspot/ui-extensions';
import type { GateView } from '@tossup/shared/card-dto';
import { pick } from '@tossup/shared/i18n';
import type { I18n } from '../card-context';

export function GateSection({ i18n, gate }: { i18n: I18n; gate: GateView }) {
  if (gate.passed) {
    return (
      <Text format={{ fontWeight: 'demibold' }} testId="gate-passed">
        ✓ {i18n.t('gate_passed')}
      </Text>
    );
  }
  return (
    <Alert title={i18n.t('gate_blocked')} variant="warning" testId="gate-blocked">
      <List variant="unordered-styled">
        {gate.missing.map((m) => (
          <Text key={m.code} testId={`missing-${m.code}`}>
            {pick(i18n.locale, m.label_ja, m.label_en)}
          </Text>
        ))}
      </List>
    </Alert>
  );
}
