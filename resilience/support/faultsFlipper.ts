import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultControls, GmailFault, StripeFault } from './faultsControl.ts';

interface FaultSet {
  name: string;
  stripe?: StripeFault[];
  gmail?: GmailFault[];
}

/** What the flipper cycles through: each Stripe and Gmail failure the services must ride out. */
export const FAULT_CYCLE: FaultSet[] = [
  { name: 'stripe 500 on confirm', stripe: [{ mode: 'error', match: '/confirm', count: 8 }] },
  { name: 'gmail down (503)', gmail: [{ mode: 'error', status: 503 }] },
  {
    name: 'stripe charges, answer lost',
    stripe: [{ mode: 'timeout', when: 'after', match: '/confirm', count: 1 }],
  },
  { name: 'gmail slow (answer after the inline timeout)', gmail: [{ mode: 'slow', delay_ms: 2_500 }] },
  { name: 'stripe 500 on create', stripe: [{ mode: 'error', match: 'POST /v1/payment_intents', count: 3 }] },
  { name: 'stripe slow', stripe: [{ mode: 'slow', delay_ms: 1_500, count: 5 }] },
  {
    name: 'stripe timeout on confirm and gmail down',
    stripe: [{ mode: 'timeout', match: '/confirm', count: 1 }],
    gmail: [{ mode: 'error', status: 500 }],
  },
  { name: 'no faults' },
];

export interface FlipFigures {
  /** The fault sets armed, in order. */
  armed: string[];
  /** Stripe requests that a fault hit (each fault's count minus what was left of it). */
  stripeHits: number;
}

/**
 * Until `deadline`, clears the faults and arms the next set of FAULT_CYCLE every 3-5 s; leaves every
 * fault cleared.
 */
export async function flipFaults(faults: FaultControls, deadline: number): Promise<FlipFigures> {
  const figures: FlipFigures = { armed: [], stripeHits: 0 };
  let armedCount = 0;
  const clear = async () => {
    const left = (await faults.stripeArmed()).reduce((sum, f) => sum + f.remaining, 0);
    figures.stripeHits += armedCount - left;
    await faults.clearAll();
  };
  for (let i = 0; Date.now() < deadline && i < 1_000; i++) {
    const set = FAULT_CYCLE[i % FAULT_CYCLE.length]!;
    await clear();
    for (const fault of set.stripe ?? []) await faults.stripe(fault);
    for (const fault of set.gmail ?? []) await faults.gmail(fault);
    armedCount = (set.stripe ?? []).reduce((sum, f) => sum + (f.count ?? 1), 0);
    figures.armed.push(set.name);
    await sleep(Math.min(3_000 + (i % 3) * 1_000, Math.max(0, deadline - Date.now())));
  }
  await clear();
  return figures;
}
