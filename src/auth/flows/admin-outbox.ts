// GET /admin/outbox: the newest emails and SMS with their delivery state, for developers
// reading codes and links locally (nothing leaves without SMTP or an SMS provider).
import { listOutbox as outboxMessages } from '../../outbox/list.ts';
import type { AuthDeps } from '../types.ts';

export async function listOutbox(deps: AuthDeps, limit: number): Promise<{ messages: unknown[] }> {
  return { messages: await outboxMessages(deps.db, limit) };
}
