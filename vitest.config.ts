import { defineConfig } from 'vitest/config';

// One runner for the whole workspace: every package's test/ folder is a project.
export default defineConfig({
  test: {
    projects: [
      'shared',
      'services/*',
      'sandboxes/*',
      'e2e',
      'resilience',
      'bench',
      'deploy',
      'scripts/vitest.config.ts',
    ],
  },
});
