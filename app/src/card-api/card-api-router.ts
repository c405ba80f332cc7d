import { Router } from 'express';
import type { AppContext } from '../context';

// Placeholder owned by the card API work (issue 6): every /api/v1 request is
// refused with 401 (nothing is served without a verified signature).
export function createCardApiRouter(_ctx: AppContext): Router {
  const router = Router();
  router.use((_req, res) => {
    res.status(401).json({ error: 'unauthorized', message: 'card API not built yet' });
  });
  return router;
}
