// Entry point of the editor agent's bundle (dist/samplit-editor.min.js): set up from the <script>
// tag the proxy injected (data-url, data-parent-origin).
import { startEditorAgent } from './editor-agent.js';

// The page's own Samplit snippet stands down in the editor (script-tag.ts).
window.samplitEditor = true;
const script = document.currentScript as HTMLScriptElement | null;
startEditorAgent({ url: script?.dataset.url ?? '', parentOrigin: script?.dataset.parentOrigin ?? '' });
