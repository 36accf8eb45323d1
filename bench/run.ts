// `npm run bench`: prints each figure beside a reference measured in the same run. See bench/README.md.
import { benchTicketCreation } from './tickets.js';

const quick = process.argv.includes('--quick');
const dialects: Array<'sqlite' | 'postgres'> = process.argv.includes('--sqlite-only') ? ['sqlite'] : ['sqlite', 'postgres'];

console.log(`Raving benchmark — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
await benchTicketCreation({ total: quick ? 2000 : 10000, rounds: quick ? 1 : 3, dialects });

const { benchQueries } = await import('./queries.js');
await benchQueries({ tickets: quick ? 10_000 : 100_000, dialects });
