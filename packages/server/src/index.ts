export { type App, type BuildAppOptions, buildApp } from './app.js';
export { type Config, loadConfig, MEMORY_DATA_DIR } from './config.js';
export type { Database, Queryable } from './db/database.js';
export { openDatabase } from './db/open-database.js';
