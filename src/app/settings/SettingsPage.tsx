// Entry of the app's settings page (settings-hsmeta.json). Only registers the
// workspace component; shared code lives in the @tossup/extensions workspace.
import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from '@tossup/ui/components/SettingsPage';

hubspot.extend<'settings'>(({ context, actions }) => <SettingsPage context={context} actions={actions} />);
