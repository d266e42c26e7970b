#!/usr/bin/env node
// Samplit runs its TypeScript sources directly (tsx transpiles on load; there is no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
