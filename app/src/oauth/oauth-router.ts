import { Router } from 'express';
import type { AppContext } from '../context';

// Being built by the foundation work (issue 2) in this same change.
export function createOAuthRouter(_ctx: AppContext): Router {
  return Router();
}
