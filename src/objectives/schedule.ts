/** Per-step schedules, evaluated in TypeScript and fed as ObjectiveInputs so the session is never rebuilt. */

/**
 * KL annealing weight β(step) = min(1, step / steps), 1 when steps = 0 (seed 002, "KL annealing";
 * Bowman et al. 2016: start at β = 0 and increase it to 1).
 */
export function warmup(step: number, steps: number): number {
  if (steps <= 0) return 1;
  return Math.min(1, Math.max(0, step / steps));
}

/** Capacity C(step) = max · min(1, step / steps) nats (Burgess et al. 2018: C raised linearly to its maximum). */
export function capacityAt(step: number, max: number, steps: number): number {
  return max * warmup(step, steps);
}
