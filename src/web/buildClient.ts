/** `npm run build` step: bundles the dashboard page into dist/web/public (see bundle.ts). */
import { writeClientBundle } from './bundle.js';

const files = await writeClientBundle();
console.log(`dashboard page: ${files.join(', ')}`);
