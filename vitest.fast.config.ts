import { defineConfig } from 'vitest/config';
import { INTEGRATION, shared } from './vitest.config';

/**
 * `npm run test:fast`, the inner loop: every file but the INTEGRATION list, so no DynamoDB Local,
 * no child process and no whole-scenario demo. `npm test` runs everything with vitest.config.ts.
 */
export default defineConfig({
  test: {
    ...shared,
    exclude: [...INTEGRATION],
  },
});
