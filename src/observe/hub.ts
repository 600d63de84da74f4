// One observation stream, many sinks. Start-up wraps the caller's observer (the JSON log)
// in a hub; sinks (the log store, metrics) subscribe to it while the server is built. A sink
// that throws is cut off from that one event only: observing must never fail the code that
// observed.
import type { Observation, Observer } from './events.ts';

export interface ObservationHub {
  /** Hands an event to the first observer, then to every sink in subscription order. */
  readonly observe: Observer;
  /** Adds a sink; the returned function removes it. */
  subscribe(sink: Observer): () => void;
}

export function observationHub(first: Observer): ObservationHub {
  let sinks: readonly Observer[] = [];
  return {
    observe: (event: Observation) => {
      first(event);
      for (const sink of sinks) {
        try {
          sink(event);
        } catch {
          // A broken sink loses this event; the others and the caller carry on.
        }
      }
    },
    subscribe(sink) {
      sinks = [...sinks, sink];
      return () => {
        sinks = sinks.filter((s) => s !== sink);
      };
    },
  };
}
