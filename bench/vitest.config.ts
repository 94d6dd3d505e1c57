import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.sources.ts';

// The smoke run starts the whole stack plus a baseline app: one file, with room to start and run.
export default defineProject({
  ...workspaceSources,
  test: {
    name: 'bench',
    // Whole-stack projects run one after another, after the unit tests, never two stacks at once.
    sequence: { groupOrder: 3 },
    include: ['test/**/*.test.ts'],
    // The stack runs the compiled services (scripts/stack): build them once before any test.
    globalSetup: ['../scripts/stack/globalSetup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
