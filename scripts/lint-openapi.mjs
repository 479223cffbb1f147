// Lints the committed openapi.json with Redocly's recommended ruleset. Prints each problem; exits
// 1 when any is an error. `--json` prints the problems as JSON instead (the test suite reads it).
import { createConfig, lint } from '@redocly/openapi-core';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../openapi.json', import.meta.url));
const problems = await lint({ ref: file, config: await createConfig({ extends: ['recommended'] }) });
const found = problems.map((p) => ({
  severity: p.severity,
  rule: p.ruleId,
  message: p.message,
  at: p.location?.[0]?.pointer ?? '',
}));
if (process.argv.includes('--json')) console.log(JSON.stringify(found));
else for (const p of found) console.log(`${p.severity.padEnd(5)} ${p.rule}: ${p.message} ${p.at}`);
process.exitCode = found.some((p) => p.severity === 'error') ? 1 : 0;
