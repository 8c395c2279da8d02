/** Entry point of the `vaelab` command. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  console.error(`vaelab: not yet implemented (${argv.join(' ')})`);
  return 1;
}
