import { buildWorkspace } from './build.ts';

// Whole-stack test projects run the compiled services, as the images do: build them first.
export default function setup(): void {
  buildWorkspace();
}
