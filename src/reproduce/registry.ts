/** The experiments `vaelab reproduce` knows, in the order of issue #19's table. */
import { UserError } from '../engine/errors.js';
import type { Experiment } from './experiment.js';
import { aeVsVae } from './experiments/aeVsVae.js';
import { annealingFreeBits } from './experiments/annealingFreeBits.js';
import { collapse } from './experiments/collapse.js';
import { compression } from './experiments/compression.js';
import { disentanglement } from './experiments/disentanglement.js';
import { elboSurgery } from './experiments/elboSurgery.js';
import { iwaeTable } from './experiments/iwaeTable.js';
import { overpruning } from './experiments/overpruning.js';
import { ppca } from './experiments/ppca.js';
import { priors } from './experiments/priors.js';
import { semiSupervised } from './experiments/semiSupervised.js';
import { simpleVae } from './experiments/simpleVae.js';
import { varianceLaw } from './experiments/varianceLaw.js';

/** Every experiment. */
export const EXPERIMENTS: readonly Experiment[] = [
  varianceLaw,
  aeVsVae,
  iwaeTable,
  elboSurgery,
  priors,
  annealingFreeBits,
  disentanglement,
  overpruning,
  simpleVae,
  collapse,
  ppca,
  semiSupervised,
  compression,
];

/** The experiment called `name`; a {@link UserError} naming the others when there is none. */
export function findExperiment(name: string): Experiment {
  const e = EXPERIMENTS.find((x) => x.name === name);
  if (!e)
    throw new UserError(
      `unknown experiment ${JSON.stringify(name)}: expected one of ${EXPERIMENTS.map((x) => x.name).join(', ')} (see vaelab reproduce --list)`,
    );
  return e;
}
