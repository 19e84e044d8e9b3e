import { baseUrl, checkChromium } from './browser.ts';

// Fail the whole run once, with a clear message, before any browser starts.
export default function setup(): void {
  baseUrl();
  checkChromium();
}
