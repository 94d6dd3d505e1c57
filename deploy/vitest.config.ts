import { defineProject } from 'vitest/config';
import { workspaceSources } from '../vitest.sources.ts';

// The images, a pod of them and the Kubernetes manifests under podman: skipped unless
// SHOP_CONTAINER_TESTS=1, after deploy/podman/build-images.sh (CI does both).
export default defineProject({
  ...workspaceSources,
  test: {
    name: 'deploy',
    // Containers load the machine like a whole stack: after the other whole-stack projects.
    sequence: { groupOrder: 4 },
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
