import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
/** @actions/core's logging functions (esquery regex): the glue reaches them through the Logger only. */
const LOG_CALLS = '/^(info|warning|error|debug|notice|group|startGroup|endGroup)$/';

/** Test infrastructure: packages that tests and the rehearsal use, never product code. */
const TEST_INFRASTRUCTURE = ['simulators', 'workflow-player'];
/** The product packages: every folder of packages/ but the test infrastructure. */
const PRODUCT_PACKAGES = readdirSync(path.join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !TEST_INFRASTRUCTURE.includes(entry.name))
  .map((entry) => entry.name);

/**
 * Issue #17's boundaries, as import-x zones (paths resolved, so `../ecs/deploy` and
 * `../../packages/ecs/deploy` are the same file):
 * - another package only through its index (`../ecs`, `../../packages/ecs`), never `../ecs/deploy`
 *   (the test infrastructure keeps to it too);
 * - product code never imports the test infrastructure (simulators, workflow player);
 * - no package (test infrastructure included) imports test/; product code no scripts/ either (the
 *   workflow player reads the one list of actions, scripts/actions.mjs).
 */
const boundaryZones = [
  ...PRODUCT_PACKAGES.map((name) => ({
    target: [...[...PRODUCT_PACKAGES, ...TEST_INFRASTRUCTURE].filter((other) => other !== name).map((other) => `packages/${other}`), 'actions'],
    from: `packages/${name}`,
    except: ['./index.ts'],
    message: `Import packages/${name} through its index ('…/packages/${name}' or '../${name}'); export what you need from packages/${name}/index.ts.`,
  })),
  {
    target: [...PRODUCT_PACKAGES.map((name) => `packages/${name}`), 'actions'],
    from: TEST_INFRASTRUCTURE.map((name) => `packages/${name}`),
    message: 'Product code (packages/*, actions/*) must not import the simulators or the workflow player (test infrastructure).',
  },
  {
    target: ['packages', 'actions'],
    from: ['test'],
    message: 'packages/ and actions/ (the simulators and the workflow player too) must not import test/: move what they need into a package.',
  },
  {
    target: [...PRODUCT_PACKAGES.map((name) => `packages/${name}`), 'actions'],
    from: ['scripts'],
    message: 'Product code (packages/*, actions/*) must not import scripts/.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.rehearsal/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/**/*.ts', 'actions/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.mjs', '.json', '.node'] })],
    },
  },
  {
    // No import cycle between packages. Not run on the simulators: their GitHub route modules share helpers
    // both ways inside the package (harmless), and no other package may import them (the zone below), so a
    // cycle through the simulators and another package is still reported in that other package's file.
    files: ['packages/**/*.ts', 'actions/**/*.ts'],
    ignores: ['packages/simulators/**'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['packages/**/*.ts', 'actions/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    // Issue #17: no function in packages/ (nor in the actions' glue) over 60 lines, blank lines and comments counted (eslint's defaults).
    // Issue #25: the same in scripts/ (the rehearsal, the bench, the build).
    rules: { 'max-lines-per-function': ['error', { max: 60 }] },
  },
  {
    files: ['packages/**/*.ts', 'actions/**/*.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaryZones }] },
  },
  {
    // Issue #25: the glue logs one way, through the Logger the engines take (actionsLogger()), so a line
    // reads the same from a bundle, the CLI or a test's recordingLogger(). @actions/core stays for what the
    // Logger is not: inputs, outputs, the job summary and state.
    files: ['actions/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `MemberExpression[object.name='core'][property.name=${LOG_CALLS}]`,
          message: 'Log through the Logger (`const log = actionsLogger()` from packages/action-kit, then log.info/warning/error/debug/group), not core.*.',
        },
        {
          selector: `ImportDeclaration[source.value='@actions/core'] > ImportSpecifier[imported.name=${LOG_CALLS}]`,
          message: 'Log through the Logger (actionsLogger() from packages/action-kit), not the log functions of @actions/core.',
        },
      ],
    },
  },
);
