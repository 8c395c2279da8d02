import type { Command } from 'commander';
import { COMMAND_DESCRIPTIONS } from '../descriptions.js';
import { exportModel } from '../../models/export.js';
import { loadRun } from '../../train/experiment.js';
import type { CommandContext, Opts } from '../context.js';
import { int } from '../flags.js';
import { prepareOutputDir } from '../outputs.js';

/** `vaelab export`. */
export function register(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .description(COMMAND_DESCRIPTIONS.export)
    .argument('<run-dir>')
    .requiredOption('--out <dir>', 'output directory for encoder.onnx and decoder.onnx')
    .option('--batch <n>', 'batch size the graphs take (ONNX shapes are static)', int(), 1)
    .action((dir: string, o: Opts) => {
      ctx.run(
        (async () => {
          prepareOutputDir(String(o.out));
          const run = await loadRun(dir, (l) => ctx.io.err(`vaelab: warning: ${l}`));
          const files = await exportModel(run.model, String(o.out), o.batch as number);
          ctx.io.out(
            `wrote ${files.encoder} (x -> mu, sigma) and ${files.decoder} (z -> ${files.decoderOutputs.join(', ')}), batch ${o.batch}`,
          );
        })(),
      );
    });
}
