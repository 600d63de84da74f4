// OpenTelemetry's active context is process-wide (the API's global context manager). Tracing
// registers an AsyncLocalStorage one while at least one server in this process traces (tests
// run several), and removes it with the last, so a process without tracing never has one.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

let users = 0;
let ours: AsyncLocalStorageContextManager | undefined;

/** Makes sure a context manager is registered; the returned function releases this use. */
export function useContextManager(): () => void {
  if (users++ === 0) {
    const manager = new AsyncLocalStorageContextManager().enable();
    // false: another library registered its own first; spans then ride on that one.
    if (context.setGlobalContextManager(manager)) ours = manager;
    else manager.disable();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users > 0 || ours === undefined) return;
    context.disable();
    ours = undefined;
  };
}
