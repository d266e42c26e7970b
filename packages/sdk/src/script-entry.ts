// Entry point of the script-tag build: set up from the <script> tag that loaded this file.
import { init } from './script-tag.js';

init(document.currentScript as HTMLScriptElement | null);
