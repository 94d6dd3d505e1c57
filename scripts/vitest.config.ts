import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.sources.ts';

// Checks over the repository itself: deployment files, .env.example, docs.
export default defineProject({
  ...workspaceSources,
  test: { name: 'repo', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
