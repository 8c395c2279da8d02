/**
 * The parameters of a model, by name. Layers create their parameters here, so a model's parameters
 * can be listed, saved and restored without walking its structure.
 */
import { Parameter } from '../engine/parameter.js';
import { Random } from '../engine/random.js';
import type { Initializer } from './init.js';

export class ParameterStore {
  private readonly byName = new Map<string, Parameter>();
  /** The generator initialisers draw from; seeded, so the same seed builds the same model. */
  readonly rng: Random;

  constructor(seed = 0) {
    this.rng = new Random(seed);
  }

  /** Creates and registers a parameter; names must be unique. */
  create(name: string, shape: readonly number[], init: Initializer): Parameter {
    if (this.byName.has(name)) throw new Error(`ParameterStore: parameter ${name} already exists`);
    const p = new Parameter(name, shape, init(shape, this.rng));
    this.byName.set(name, p);
    return p;
  }

  /** The parameter named `name`, or an error listing what exists. */
  get(name: string): Parameter {
    const p = this.byName.get(name);
    if (!p) throw new Error(`ParameterStore: no parameter ${name}`);
    return p;
  }

  /** Every parameter, in creation order. */
  all(): Parameter[] {
    return [...this.byName.values()];
  }

  /** Parameters whose names start with `prefix` (a sub-module's). */
  under(prefix: string): Parameter[] {
    return this.all().filter((p) => p.name === prefix || p.name.startsWith(prefix + '.'));
  }

  /** Total number of scalars. */
  get size(): number {
    return this.all().reduce((n, p) => n + p.size, 0);
  }
}
