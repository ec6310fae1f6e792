// Lint: the layering rules that keep the core runnable headless and the UI on the API contract only.
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'core, cli and src-shared must run without Electron: only src-main/desktop may import it.' }],
  patterns: [{ group: ['electron/*'], message: 'only src-main/desktop may import Electron.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-main/core/**', 'src-main/cli/**', 'src-shared/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...noElectron, patterns: [...noElectron.patterns, { group: ['**/src-main/**', 'node:*'], message: 'src-shared is used by the UI too: no Node or main-process imports.' }] },
      ],
    },
  },
  {
    files: ['src-main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...noElectron, patterns: [...noElectron.patterns, { group: ['**/cli/**', '**/desktop/**'], message: 'the core must not depend on its callers.' }] },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...noElectron, patterns: [...noElectron.patterns, { group: ['**/src-main/**', 'node:*'], message: 'the UI talks to the core only through the API contract in src-shared.' }] },
      ],
    },
  },
);
