// Lint: the layering rules that keep the core runnable headless, the UI on the API contract only, and the
// core's capabilities apart (no import cycles; another folder is reached only through its index.ts).
import { readdirSync } from 'node:fs';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'core, cli and src-shared must run without Electron: only src-main/desktop may import it.' }],
  patterns: [{ group: ['electron/*'], message: 'only src-main/desktop may import Electron.' }],
};

// One zone per capability folder of the core: everything outside it may import only its index.ts.
const capabilities = readdirSync('src-main/core', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const throughIndex = capabilities.map((name) => ({
  target: ['./src-main/core/*.ts', './src-main/cli', './src-main/desktop', ...capabilities.filter((other) => other !== name).map((other) => `./src-main/core/${other}`)],
  from: `./src-main/core/${name}`,
  except: ['./index.ts'],
  message: `import the core's "${name}" capability through its index.ts`,
}));
const coreThroughIndex = {
  target: ['./src-main/cli', './src-main/desktop'],
  from: './src-main/core',
  except: ['./index.ts'],
  message: 'the CLI and the desktop shell use the core through src-main/core/index.ts',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.test.json' })],
    },
    rules: {
      'no-debugger': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: [...throughIndex, coreThroughIndex] }] },
  },
  {
    // The desktop shell's rules (allowed URLs, the protocol's files, the tray, notifications) are tested in Node.
    files: ['src-main/core/**', 'src-main/cli/**', 'src-shared/**', 'src-main/desktop/logic/**'],
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
