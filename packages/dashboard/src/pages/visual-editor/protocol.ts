/**
 * The agent ↔ dashboard messages of the visual editor (docs: the issue-15 contract, §4). Declared
 * here until the SDK's own protocol file lands; then this file becomes `import type` re-exports of
 * it, and nothing else in the dashboard changes.
 */

export const PROTOCOL = 'editor/1';

/** Variant content as the SDK applies it (packages/sdk/src/types.ts), without `js`: never previewed. */
export interface PreviewContent {
  text?: string;
  html?: string;
  attributes?: Record<string, string | null>;
  styles?: Record<string, string>;
  css?: string;
  redirect_url?: string;
  hide?: boolean;
  payload?: unknown;
}

export interface ReadyMessage {
  type: 'ready';
  url: string;
  title: string;
}
export interface RouteMessage {
  type: 'route';
  url: string;
}
export interface NavigateMessage {
  type: 'navigate';
  url: string;
}
export interface SelectedMessage {
  type: 'selected';
  selector: string;
  count: number;
  tag: string;
  text: string;
  html: string;
  attributes: Record<string, string>;
}
export interface CountMessage {
  type: 'count';
  requestId: string;
  selector: string;
  /** -1: not a valid selector. */
  count: number;
}

/** What the agent in the proxied page sends. */
export type AgentMessage = ReadyMessage | RouteMessage | NavigateMessage | SelectedMessage | CountMessage;

export type EditorMode = 'select' | 'interact';

/** What the dashboard sends to the agent (the `samplit` field is added when posting). */
export type DashboardMessage =
  | { type: 'mode'; mode: EditorMode }
  | { type: 'preview'; variants: Array<{ selector: string | null; content: PreviewContent | null }> }
  | { type: 'count'; requestId: string; selector: string }
  | { type: 'highlight'; selector: string | null }
  | { type: 'select'; selector: string };
