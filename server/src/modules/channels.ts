import type { AppContext } from '../context.js';
import { startEmailChannels } from './email/index.js';

/**
 * Long-running inputs beside HTTP (the SMTP receiver, IMAP pollers). Each channel module adds its
 * starter here; main() starts them after the HTTP app is built and stops them on shutdown.
 */
export interface RunningChannel {
  stop(): Promise<void>;
}

export async function startChannels(context: AppContext): Promise<RunningChannel> {
  const running: RunningChannel[] = [];
  running.push(await startEmailChannels(context));
  return { stop: async () => void (await Promise.all(running.map((channel) => channel.stop()))) };
}
