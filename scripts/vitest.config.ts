import { defineProject } from 'vitest/config';

// Checks over the repository itself: deployment files, .env.example, docs.
export default defineProject({
  test: { name: 'repo', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
