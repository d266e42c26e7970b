/*
 * The tracker's wire types are the server's TypeBox statics (one schema gives the server its
 * validation, its OpenAPI document and these types). `import type` only: with verbatimModuleSyntax
 * the import is erased whole, so neither TypeBox nor server code can reach the browser bundle
 * (`npm run size -w @samplit/sdk` measures it). The server already depends on this package at
 * runtime (it serves dist/samplit.min.js); the SDK's source refers back to it only here, at the
 * type level, and only to the schema file (its own export), not to the server's runtime.
 */
import type {
  AssignBody,
  AssignResponse,
  ConvertBody as ConvertRequest,
  PreviewBody,
  ServedVariant,
} from '@samplit/server/tracker-schemas';

/** Variant content, as the API sends it (docs/architecture.md#variant-content). */
export interface VariantContent {
  /** Replaces the element's text (escaped, never parsed as HTML). */
  text?: string | null;
  /** Replaces the element's inner HTML. Scripts inside it do not run. */
  html?: string | null;
  /** Attributes to set on the element; `null` removes one. */
  attributes?: Record<string, string | null> | null;
  /** CSS properties for the element (camelCase or kebab-case), applied with `!important`. */
  styles?: Record<string, string> | null;
  /** A page-level stylesheet. */
  css?: string | null;
  /** Split-URL test: where this variant lives. Query string and hash of the current page are kept. */
  redirect_url?: string | null;
  /** Hides the element. */
  hide?: boolean | null;
  /** Any JSON, for code that renders variants itself. */
  payload?: unknown;
  /** Custom JavaScript; the server only sends it when the experiment owner enabled it. */
  js?: string | null;
}

/** One element's variant in an assignment; `content` is typed as what the SDK applies. */
export interface AssignedVariant extends Omit<ServedVariant, 'content'> {
  content?: VariantContent | null;
}

/**
 * The answer of `POST /api/v1/tracker/assign`. When the server cannot be reached, answers with an
 * error or is slower than the timeout, the SDK returns `eligible: false`, `reason: "error"` and no
 * variants, so the original page (the control) shows.
 */
export interface Assignment extends Omit<AssignResponse, 'reason' | 'variants'> {
  /** The server's reasons, the SDK's own `"error"`, or one a newer server added. */
  reason?: AssignResponse['reason'] | 'error' | (string & {});
  variants: AssignedVariant[];
}

/** The body of `POST /api/v1/tracker/assign`. */
export type AssignRequest = AssignBody;

/** The body of `POST /api/v1/tracker/preview`: a preview link's token. */
export type PreviewRequest = PreviewBody;

/** What the server's targeting rules can look at. */
export type AssignContext = NonNullable<AssignBody['context']>;

/** The body of `POST /api/v1/tracker/convert`; the SDK always names the goal. */
export type ConvertBody = ConvertRequest & { goal: string };

/** A declarative goal: a click on a selector, or a visit to a matching URL. */
export interface GoalDefinition {
  goal: string;
  /** Fires on a click on an element matching (or inside an element matching) this selector. */
  click?: string;
  /** Fires when the page URL contains this string or matches this RegExp (also after SPA navigation). */
  url?: string | RegExp;
  value?: number;
  /** Experiments to credit; by default every experiment this visitor is in. */
  experiments?: string[];
}
