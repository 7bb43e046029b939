// Flat config (ESLint 10): typescript-eslint's recommended rules for all
// TypeScript; formatting is Prettier's job (`npm run lint` runs both).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cache/**', '.data/**', '.infra/**', 'test-artifacts/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Libs are imported only through their public API (STYLE 1).
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tessera/*/*'], message: 'Import a lib only as @tessera/<lib> (STYLE 1).' }] },
      ],
    },
  },
  {
    // Specs may assert with non-null assertions and build throw-away fixtures.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
