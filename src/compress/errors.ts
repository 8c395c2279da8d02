/** Errors of compression that are the user's to fix: a model that cannot code, a damaged file, the wrong run. */
import { UserError } from '../engine/errors.js';

/** A model, data set or compressed file that cannot be (de)compressed; the message says why and what to do. */
export class CompressError extends UserError {
  override name = 'CompressError';
}
