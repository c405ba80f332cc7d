// Entry of the app's settings page (settings-hsmeta.json). Only registers the
// component from the @tossup/ui workspace package (see src/app/cards/HandoffCard.tsx).
import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';

hubspot.extend<'settings'>(({ context, actions }) => <SettingsPage context={context} actions={actions} />);
