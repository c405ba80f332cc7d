// Lint for the whole repo: typescript-eslint everywhere, plus HubSpot's own
// UI-extension rules on everything that runs inside HubSpot's extension worker
// (the thin entries in src/app and the components they import from extensions/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { config as hubspotUiExtensions } from '@hubspot/eslint-config-ui-extensions';

const workerCode = ['src/app/**/*.{ts,tsx}', 'extensions/ui/src/**/*.{ts,tsx}', 'extensions/shared/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.data/**', '**/dist/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The gateway module (app/src/hubspot) is the only code allowed to talk to HubSpot.
    files: ['app/src/**/*.ts'],
    ignores: ['app/src/hubspot/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@hubspot/api-client', message: 'Only app/src/hubspot (the gateway) may import @hubspot/api-client. Add a gateway method instead.' }] }],
    },
  },
  // HubSpot's config also has an entry for eslint config files (sourceType: script); keep only the rules entry.
  ...hubspotUiExtensions.filter((c) => c.plugins).map((c) => ({ ...c, files: workerCode })),
);
