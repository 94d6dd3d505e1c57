import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.sources.ts';

// Each file starts a whole stack (six processes): run files one at a time, with room to start.
export default defineProject({
  ...workspaceSources,
  test: {
    name: 'e2e',
    // Whole-stack projects run one after another, after the unit tests, never two stacks at once.
    sequence: { groupOrder: 1 },
    include: ['test/**/*.test.ts'],
    // The stack runs the compiled services (scripts/stack): build them once before any test.
    globalSetup: ['../scripts/stack/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
