import type { AppContext } from '../context.js';

/**
 * Long-running inputs beside HTTP (the SMTP receiver, IMAP pollers). Each channel module adds its
 * starter here; main() starts them after the HTTP app is built and stops them on shutdown.
 */
export interface RunningChannel {
  stop(): Promise<void>;
}

export async function startChannels(_context: AppContext): Promise<RunningChannel> {
  const running: RunningChannel[] = [];
  return { stop: async () => void (await Promise.all(running.map((channel) => channel.stop()))) };
}
