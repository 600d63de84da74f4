// This node's realtime traffic, for metrics: open sockets and frames in and out. A frame is
// counted with an increment, never observed on its own (one observation per frame would
// cost more than sending it); the counts are reported as one `realtime-traffic`
// observation when a socket opens or closes, and every few seconds while frames flow.
import type { Observer } from '../../observe/events.ts';

/** How often counted frames are reported while sockets stay open. */
export const TRAFFIC_REPORT_MS = 10_000;

export class Traffic {
  #connections = 0;
  #in = 0;
  #out = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly observe: Observer) {}

  opened(): void {
    this.#connections++;
    this.report();
  }

  closed(): void {
    this.#connections--;
    this.report();
  }

  received(): void {
    this.#in++;
  }

  sent(): void {
    this.#out++;
  }

  /** Reports open sockets and the frames counted since the last report. */
  report(): void {
    const messagesIn = this.#in;
    const messagesOut = this.#out;
    this.#in = 0;
    this.#out = 0;
    this.observe({ type: 'realtime-traffic', connections: this.#connections, messagesIn, messagesOut });
  }

  /** Reports every TRAFFIC_REPORT_MS while frames flow; stopping reports what is left. */
  start(): void {
    this.#timer ??= setInterval(() => {
      if (this.#in > 0 || this.#out > 0) this.report();
    }, TRAFFIC_REPORT_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#in > 0 || this.#out > 0) this.report();
  }
}
