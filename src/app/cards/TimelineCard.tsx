// Entry of the cross-department timeline tab card (timeline-card-hsmeta.json) on
// contacts and deals. Only registers the workspace component.
import { hubspot } from '@hubspot/ui-extensions';
import { TimelineCard } from '@tossup/ui/components/TimelineCard';

hubspot.extend<'crm.record.tab'>(({ context, actions }) => <TimelineCard context={context} actions={actions} />);
