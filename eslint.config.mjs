// Flat config for every workspace: typescript-eslint's recommended rules, with
// Prettier owning formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import formatjs from 'eslint-plugin-formatjs';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '.tmp/**',
      '.cache/**',
      '.strapi/**',
      'types/generated/**',
      'test-artifacts/**',
      'coverage/**',
      'public/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // `declare namespace` groups a route's Request/Response types, as Strapi's own contracts do.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
    },
  },
  {
    files: [
      'web/src/**/*.{ts,tsx}',
      'cms/admin/**/*.{ts,tsx}',
      'src/admin/**/*.{ts,tsx}',
      'web/test/unit/**/*.{ts,tsx}',
    ],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The plugin's admin speaks the admin's language: text a person reads goes through
    // react-intl (cms/admin/src/translations), never as a literal in JSX or a toast.
    files: ['cms/admin/src/**/*.tsx'],
    ignores: ['**/*.test.tsx'],
    plugins: { formatjs },
    rules: {
      'formatjs/no-literal-string-in-jsx': [
        'error',
        {
          // Text nodes and aria-* are checked by default; these props are read by people too.
          props: {
            include: [
              [
                '*',
                '{label,placeholder,title,hint,subtitle,content,closeLabel,error,fromLabel,toLabel}',
              ],
            ],
          },
        },
      ],
      // Notifications: `toggleNotification({ title: '…', message: '…' })`, and the panel's title.
      'formatjs/no-literal-string-in-object': ['error', { include: ['title', 'message'] }],
    },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'test/**/*.{ts,tsx}', 'web/test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
  },
  {
    files: ['web/test/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.jest } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier
);
