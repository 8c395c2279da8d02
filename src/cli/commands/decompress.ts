import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { decompressFile } from '../../compress/lossyFile.js';
import { symbolsToBytes } from '../../compress/symbols.js';
import { encodeIdx } from '../../data/idx.js';
import { encodeNpy } from '../../data/npy.js';
import { loadRun } from '../../train/experiment.js';
import { type CommandContext, type Opts, UserError } from '../context.js';

/** `vaelab decompress`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('decompress')
    .description(COMMAND_DESCRIPTIONS.decompress)
    .argument('<run-dir>')
    .argument('<file>')
    .requiredOption('--out <dir>', 'output directory (images.idx or images.npy)')
    .addOption(new Option('--format <kind>', 'output format').choices(['idx', 'npy']).default('idx'))
    .action((dir: string, file: string, o: Opts) => {
      ctx.run(
        (async () => {
          const run = await loadRun(dir);
          const target = join(String(o.out), `images.${o.format}`);
          if (existsSync(target)) throw new UserError(`${target} exists: choose another --out (decompress never overwrites)`);
          const r = await decompressFile(run.model, readFileSync(file), file);
          const { count, shape } = r.symbols;
          // Single-channel images are written as [n, H, W], as MNIST's own IDX files are.
          const dims = shape.length === 3 && shape[0] === 1 ? [count, shape[1], shape[2]] : [count, ...shape];
          const bytes = symbolsToBytes(r.symbols);
          mkdirSync(String(o.out), { recursive: true });
          writeFileSync(target, o.format === 'npy' ? encodeNpy(bytes, dims) : encodeIdx(bytes, dims));
          ctx.io.out(
            `wrote ${count} images [${dims.slice(1).join('×')}] to ${target} in ${r.seconds.toFixed(1)} s (${r.mode === 'lossless' ? 'lossless, data SHA-256 checked' : 'lossy reconstructions μ_x(ẑ)'})`,
          );
        })(),
      );
    });
}
