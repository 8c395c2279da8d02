/**
 * Learning-rate schedules, each a pure function of the training position, so that a resumed run
 * computes the same values as an uninterrupted one. (The KL warm-up and capacity ramps belong to
 * the objective: `objectiveInputsAt` in `objectives/config.ts`.)
 */

/** A learning-rate schedule, as stored in a run's config.json. */
export type LrSchedule =
  | { readonly kind: 'constant' }
  /** lr·γ^⌊epoch / every⌋. */
  | { readonly kind: 'step'; readonly every: number; readonly gamma: number }
  /** Cosine decay from lr to `minLr` over the whole run (Loshchilov & Hutter 2017, no restarts). */
  | { readonly kind: 'cosine'; readonly minLr: number }
  /**
   * Burda et al. 2016 (IWAE), §5: lr = lr₀·10^(−i/7) for 3^i passes over the data, i = 0..7
   * (3,280 epochs in all; the last stage continues when a run is longer).
   */
  | { readonly kind: 'iwae' };

/** The names of the learning-rate schedules. */
export const LR_SCHEDULES = ['constant', 'step', 'cosine', 'iwae'] as const;

/** Number of IWAE stages (i = 0..7). */
export const IWAE_STAGES = 8;

/** Total number of epochs of the IWAE schedule: Σ_{i=0}^{7} 3^i = (3⁸ − 1)/2 = 3,280. */
export const IWAE_EPOCHS = (3 ** IWAE_STAGES - 1) / 2;

/**
 * The IWAE stage of a (whole) epoch index e (0-based): the i with (3^i − 1)/2 ≤ e < (3^{i+1} − 1)/2,
 * capped at 7. Stage 0 is epoch 0, stage 1 epochs 1–3, stage 2 epochs 4–12, stage 3 epochs 13–39, ...
 */
export function iwaeStage(epoch: number): number {
  let i = 0;
  while (i < IWAE_STAGES - 1 && epoch >= (3 ** (i + 1) - 1) / 2) i++;
  return i;
}

/** Where training is: the update count (0-based, the step about to run) and epoch length in steps. */
export interface SchedulePosition {
  readonly step: number;
  readonly stepsPerEpoch: number;
  /** Total steps of the run (for cosine decay). */
  readonly totalSteps: number;
}

/**
 * The learning rate for the step at `pos` given the base rate `lr`:
 * constant → lr; step → lr·γ^⌊e/every⌋; cosine → minLr + ½(lr − minLr)(1 + cos(π t/T));
 * iwae → lr·10^(−i/7) with i = {@link iwaeStage}(⌊e⌋), where e = step / stepsPerEpoch.
 */
export function learningRate(schedule: LrSchedule, lr: number, pos: SchedulePosition): number {
  const epoch = Math.floor(pos.step / pos.stepsPerEpoch);
  switch (schedule.kind) {
    case 'constant':
      return lr;
    case 'step':
      return lr * schedule.gamma ** Math.floor(epoch / schedule.every);
    case 'cosine': {
      const t = Math.min(1, pos.step / Math.max(1, pos.totalSteps));
      return schedule.minLr + 0.5 * (lr - schedule.minLr) * (1 + Math.cos(Math.PI * t));
    }
    case 'iwae':
      return lr * 10 ** (-iwaeStage(epoch) / 7);
  }
}
