// The project's default webhook secret (Standard Webhooks, `whsec_…`), when none is
// configured: derived from the JWT secret, so every node of a project signs alike and
// `groundwork keys` can print it for receivers to verify with.
import { createHmac } from 'node:crypto';

export function deriveWebhookSecret(jwtSecret: string): string {
  return `whsec_${createHmac('sha256', jwtSecret).update('groundwork webhook secret').digest('base64')}`;
}
