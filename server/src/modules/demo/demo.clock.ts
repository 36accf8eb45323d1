/**
 * The demo replays twelve weeks of a desk's life through the real services, which all read the time
 * from `Date`. While the replay runs (on first start, before the server listens and before the job
 * worker starts) `Date` is replaced by one whose "now" is the simulated time, so every event,
 * moment, timer and report figure carries the time it would have had on a real desk. Nothing else
 * runs in the process meanwhile, and the real `Date` is back before anyone else can ask.
 */
export class SimulatedClock {
  private current: number;

  constructor(start: number) {
    this.current = start;
  }

  get now(): number {
    return this.current;
  }

  /** Time only moves forward: a story asking for the past gets the present. */
  advanceTo(time: number): void {
    this.current = Math.max(this.current, Math.round(time));
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const RealDate = globalThis.Date;
    const clock = this;
    class SimulatedDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.current);
        else super(...(args as [string | number | Date]));
      }

      static override now(): number {
        return clock.current;
      }
    }
    globalThis.Date = SimulatedDate as DateConstructor;
    try {
      return await work();
    } finally {
      globalThis.Date = RealDate;
    }
  }
}
