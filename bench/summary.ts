// Prints a markdown table of the latest bench/results/*.json, for the README's Performance section.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from './lib/stats';

const dir = join(__dirname, 'results');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
const lines = [
  '| target | engine | ratio | goal | met | Kilowatt | baseline | runs |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
const rows: { key: string; line: string }[] = [];
for (const f of files) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { engine: string; runs: number; rows: Row[] };
  for (const row of r.rows) {
    const ratio = row.ratio === null ? '—' : row.ratio.toFixed(2);
    rows.push({
      key: `${row.target} ${r.engine}`,
      line: `| ${row.target} | ${r.engine} | **${ratio}** | ${row.goal} | ${row.met ? 'met' : '**missed**'} | ${row.kilowatt} | ${row.baseline} | ${r.runs} |`,
    });
  }
}
rows.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
process.stdout.write(`${[...lines, ...rows.map((r) => r.line)].join('\n')}\n`);
