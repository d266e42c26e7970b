/**
 * The agent ↔ dashboard messages of the visual editor: the SDK's protocol file
 * (packages/sdk/src/editor/protocol.ts), as types only, so no SDK code reaches the dashboard's
 * bundle. The dashboard handles messages without their `samplit` envelope field, which
 * use-agent-frame.ts checks on the way in and adds on the way out.
 */
import type {
  AgentMessage as AgentWireMessage,
  DashboardMessage as DashboardWireMessage,
  EDITOR_PROTOCOL,
  MessageBody,
  PreviewVariant,
} from '@samplit/sdk/editor-protocol';

export type { EditorMode } from '@samplit/sdk/editor-protocol';

/** The envelope's protocol name; typed as the SDK's constant, so a new version fails to compile here. */
export const PROTOCOL: typeof EDITOR_PROTOCOL = 'editor/1';

/** What the agent in the proxied page sends. */
export type AgentMessage = MessageBody<AgentWireMessage>;

/** What the dashboard sends to the agent. */
export type DashboardMessage = MessageBody<DashboardWireMessage>;

/** Content to preview, as the SDK applies it. */
export type PreviewContent = NonNullable<PreviewVariant['content']>;
