// ESLint flat config: neostandard (the `standard` style, no semicolons) with its TypeScript support.
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    noJsx: true, // no JSX anywhere in the project
    ignores: resolveIgnoresFromGitignore()
  }),
  {
    rules: {
      // Tables (currency digits) and test fixtures are laid out several properties to a row on purpose.
      '@stylistic/object-property-newline': 'off',
      // `void promise` as a statement marks a deliberately unawaited promise (timers, signal handlers).
      'no-void': ['error', { allowAsStatement: true }]
    }
  }
]
