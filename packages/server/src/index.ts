export { type App, type BuildAppOptions, buildApp } from './app.js';
export { type Config, loadConfig, MEMORY_DATA_DIR } from './config.js';
export type { Database, Queryable } from './db/database.js';
export { openDatabase } from './db/open-database.js';
export type { PgliteDatabase } from './db/pglite-database.js';
export { createScratchDatabase, type ScratchDatabase } from './db/scratch-database.js';
export { describeDatabase, openConfiguredDatabase, type RunningServer, startServer } from './server.js';
export { ASSIGN_SQL } from './tracker/tracker-store.js';
export { type BuildEditorAppOptions, buildEditorApp, type EditorApp } from './visual-editor/editor-app.js';
