// `npm run bench`: prints each figure beside a reference measured in the same run. See bench/README.md.
// `--only=tickets,statements,queries,urgency,inbox-counts,email,jobs,sla,empowerment,themes,web` runs a subset; `--quick` uses small sizes to check the harness.
import os from 'node:os';
import { benchTicketCreation } from './tickets.js';
import { benchQueries } from './queries.js';
import { benchEmailInbound } from './email.js';
import { measureThemeDetection } from './themes.js';
import { measureLiveUpdates, measureWebApp } from './web.js';
import { benchJobs } from './jobs.js';
import { benchSla } from './sla.js';
import { benchEmpowerment } from './empowerment.js';
import { measureUrgencySort } from './urgency.js';
import { benchInboxCounts } from './inbox-counts.js';
import { benchQueriesPerTicket } from './listener-queries.js';

const quick = process.argv.includes('--quick');
const dialects: Array<'sqlite' | 'postgres'> = process.argv.includes('--sqlite-only') ? ['sqlite'] : ['sqlite', 'postgres'];
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');
const scenarios = ['tickets', 'statements', 'queries', 'urgency', 'inbox-counts', 'email', 'jobs', 'sla', 'empowerment', 'themes', 'web'];
const unknown = only?.filter((name) => !scenarios.includes(name)) ?? [];
if (unknown.length > 0) throw new Error(`Unknown scenario ${unknown.join(', ')}; choose from ${scenarios.join(', ')}`);
const wanted = (scenario: string) => !only || only.includes(scenario);

console.log(`Raving benchmark — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} cores`);

if (wanted('tickets')) await benchTicketCreation({ total: quick ? 2000 : 10000, rounds: quick ? 1 : 3, dialects });
// `--tickets=1000000` sizes the list/search scenario (the demo generator makes them; 1M takes a while).
const ticketsArgument = process.argv.find((argument) => argument.startsWith('--tickets='));
const queryTickets = ticketsArgument ? Number(ticketsArgument.slice('--tickets='.length)) : quick ? 10_000 : 100_000;
if (!Number.isInteger(queryTickets) || queryTickets < 1) throw new Error('--tickets= needs a positive whole number');
if (wanted('statements')) await benchQueriesPerTicket({ total: 200, dialects });
if (wanted('queries')) await benchQueries({ tickets: queryTickets, dialects });
if (wanted('urgency')) {
  console.log('\nInbox default order (sort=urgency: SLA state, then agitation), first page of open tickets over HTTP');
  for (const dialect of dialects) {
    const result = await measureUrgencySort({ dialect, tickets: quick ? 2_000 : 100_000, rounds: quick ? 5 : 20 });
    console.log(`  ${dialect}, ${result.tickets} tickets: urgency ${result.urgencyMs.toFixed(1)} ms (reference: -updatedAt ${result.updatedAtMs.toFixed(1)} ms)`);
  }
}
if (wanted('inbox-counts')) await benchInboxCounts({ tickets: quick ? 2_000 : 10_000, rounds: quick ? 3 : 7, dialects });
if (wanted('jobs')) await benchJobs({ dialects, quick });
if (wanted('sla')) await benchSla({ dialects, quick });
if (wanted('empowerment')) await benchEmpowerment({ rows: quick ? 500 : 5000, grants: quick ? 200 : 2000, rounds: quick ? 1 : 3, dialects });
if (wanted('email')) await benchEmailInbound({ total: quick ? 300 : 3000, rounds: quick ? 1 : 3, dialects });

if (wanted('themes')) {
  console.log('\nTheme detection per feedback item (extraction + grouping + Three Times counting)');
  for (const dialect of dialects) {
    const result = await measureThemeDetection({ dialect, existingItems: quick ? 5_000 : 100_000, measuredItems: quick ? 100 : 500 });
    const cost = (label: string, figures: typeof result.single) =>
      `    ${label}: inside the transaction median ${figures.incrementalMs.median} ms, p95 ${figures.incrementalMs.p95} ms per item (target ≤ 2 ms); with the commit median ${figures.incrementalWithCommitMs.median} ms, p95 ${figures.incrementalWithCommitMs.p95} ms\n` +
      `      per item: ${figures.statementsPerItem} statements, ${figures.cpuMsPerItem} ms CPU in the bench process (less disturbed by other load than wall time)\n`;
    console.log(
      `  ${dialect}: ${result.existingItems} existing items in ${result.themes} themes (inserted and first grouped in ${result.loadSeconds} s)\n` +
        cost('one item per transaction', result.single) +
        cost(`${result.batched.perTransaction} items per transaction`, result.batched) +
        `    full regrouping: ${result.regroupSeconds} s (target ≤ 60 s at 100k), ${result.regroupCpuSeconds} s CPU in the bench process`,
    );
  }
}

if (wanted('web')) {
  console.log('\nWeb app (run `npm run build:web` first): first page weight and time to first inbox rows');
  const result = await measureWebApp({ tickets: quick ? 1_000 : 10_000 });
  console.log(
    `  first page JavaScript: ${(result.firstPageJsGzipBytes / 1024).toFixed(0)} KB gzipped in ${result.firstPageJsFiles} files (target ≤ 350 KB)\n` +
      `  navigation → first rows over ${result.tickets} tickets: median ${result.timeToFirstRowsMs.toFixed(0)} ms (runs: ${result.runs.map((run) => run.toFixed(0)).join(', ')} ms)`,
  );
  const live = await measureLiveUpdates({ runs: quick ? 3 : 7 });
  console.log(`  live update, API call → message shown on an open ticket page: median ${live.messageShownMs.toFixed(0)} ms (runs: ${live.runs.map((run) => run.toFixed(0)).join(', ')} ms)`);
}
