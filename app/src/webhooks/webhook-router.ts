import { Router } from 'express';
import type { AppContext } from '../context';

// Placeholder owned by the webhook-pipeline work (issue 4): replaced by the real
// verified, durable receiver. Until then it refuses with 503 so HubSpot retries.
export function createWebhookRouter(_ctx: AppContext): Router {
  const router = Router();
  router.post('/hubspot', (_req, res) => {
    res.status(503).json({ error: 'not_ready', message: 'webhook receiver not built yet' });
  });
  return router;
}
