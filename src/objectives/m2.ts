/** The objective of M2 (Kingma et al. 2014, §3.1.2, eqs. 6–9): labelled and unlabelled bounds plus classification. */
import { add, mul, neg } from '../engine/ops.js';
import { mean } from '../engine/composite.js';
import type { Tensor } from '../engine/tensor.js';
import { labelLogProb, type M2 } from '../models/m2.js';
import type { StepOutput } from '../models/types.js';
import { elboObjective } from './elbo.js';

/** A labelled batch as graph inputs: x [B_l, D], one-hot y [B_l, C], ε [1, B_l, d]. */
export interface LabelledInputs {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly eps: Tensor;
}

/** M2's step record: the unlabelled bound as `elbo` (a bound on log p(x)), and the labelled parts. */
export interface M2Output extends StepOutput {
  /** Mean over the labelled batch of −L(x, y) + w · (−log q(y|x)). */
  readonly labelledLoss: Tensor;
  /** Mean over the labelled batch of −log q(y|x). */
  readonly classification: Tensor;
}

/**
 * Labelled loss, mean over the batch: −L(x, y) − w · log q_φ(y | x) (Kingma et al. 2014, eqs. 6 and 9).
 * `weight` is w = α / N_l: J^α adds α · E_{p̃_l}[−log q(y|x)], an average over the N_l labelled
 * examples, to a sum of per-example bounds, so each labelled example's classification term weighs α / N_l.
 */
export function m2LabelledLoss(
  model: M2,
  labelled: LabelledInputs,
  weight: number,
): { loss: Tensor; elbo: Tensor; classification: Tensor } {
  const bound = elboObjective(model.labelledTerms(labelled.x, labelled.y, labelled.eps));
  const classification = neg(mean(labelLogProb(model.classLogProbs(labelled.x), labelled.y)));
  return { loss: add(bound.loss, mul(weight, classification)), elbo: bound.elbo, classification };
}

/**
 * The M2 step loss: the mean of U(x) = Σ_y q(y|x)(−L(x, y)) − H(q(y|x)) over the unlabelled batch
 * (eq. 7, y enumerated by {@link M2.terms}) plus {@link m2LabelledLoss} over the labelled batch.
 * Both parts are batch means, so a labelled example counts as much as an unlabelled one per step
 * (labelled examples are revisited more often), as in the authors' code.
 */
export function m2Objective(model: M2, x: Tensor, noise: Record<string, Tensor>, labelled: LabelledInputs, weight: number): M2Output {
  const u = elboObjective(model.terms(x, noise, 1));
  const l = m2LabelledLoss(model, labelled, weight);
  return { ...u, loss: add(u.loss, l.loss), labelledLoss: l.loss, classification: l.classification };
}
