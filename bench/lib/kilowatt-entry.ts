// Kilowatt as the benchmarks run it: the built app (dist/main.js, `npm run build`) plus the
// memory probe, in a child process of its own.
import { installMemoryProbe } from './memory-probe';

installMemoryProbe();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../dist/main');
