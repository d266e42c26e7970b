/** Variant content, shared by the SDK, the visual editor and the API (DESIGN.md §5). */
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

/** One element's variant in an assignment. */
export interface AssignedVariant {
  element_id: string;
  element_name: string;
  /** CSS selector of the element the content applies to. */
  selector?: string | null;
  variant_id: string;
  variant_name: string;
  is_control: boolean;
  content?: VariantContent | null;
}

/**
 * The answer of `POST /api/v1/tracker/assign`. When the server cannot be reached, answers with an
 * error or is slower than the timeout, the SDK returns `eligible: false`, `reason: "error"` and no
 * variants, so the original page (the control) shows.
 */
export interface Assignment {
  experiment_id: string;
  browser_id: string;
  eligible: boolean;
  combination_id?: string;
  new_assignment?: boolean;
  reason?: 'not_running' | 'targeting' | 'traffic' | 'error' | (string & {});
  variants: AssignedVariant[];
}

/** What the server's targeting rules can look at. */
export interface AssignContext {
  url?: string;
  referrer?: string;
  user_agent?: string;
  language?: string;
  attributes?: Record<string, unknown>;
}

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
