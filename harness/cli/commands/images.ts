import type { Command } from 'commander';
import { ensureImage, IMAGE_NAMES, resolveImage } from '../../platform/images.ts';
import { EXIT } from '../../platform/exit-codes.ts';

export function registerImages(program: Command): void {
  program
    .command('images')
    .description('build the local FROM-scratch images that are missing or whose inputs changed')
    .action(async () => {
      let failed = false;
      for (const name of IMAGE_NAMES) {
        const started = Date.now();
        try {
          const image = await resolveImage(name);
          const outcome = await ensureImage(image);
          console.log(`✔ ${`image ${name}`.padEnd(22)} ${outcome}: ${image.ref} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
        } catch (err) {
          failed = true;
          console.log(`✘ ${`image ${name}`.padEnd(22)} failed: ${(err as Error).message}`);
        }
      }
      if (failed) process.exitCode = EXIT.usage;
    });
}
