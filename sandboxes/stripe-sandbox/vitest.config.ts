import { defineProject } from 'vitest/config';
import { workspaceSources } from '../../vitest.sources.ts';

export default defineProject({
  ...workspaceSources,
  test: { name: 'stripe-sandbox', include: ['test/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 30_000 },
});
