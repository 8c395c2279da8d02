/** `npm run build` step: writes the Lab's static files to dist/lab/public (see build.ts). */
import { buildLab } from './build.js';

const files = await buildLab();
console.log(`lab page: ${files.length} files in ${files[0].slice(0, files[0].lastIndexOf('/'))}`);
