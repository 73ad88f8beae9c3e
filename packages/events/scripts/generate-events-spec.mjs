// Regenerates the field tables at the end of specs/events.md from the Zod
// catalogue (run after `pnpm run build`). A test fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderEventCatalogue } from '../dist/catalogue/describeCatalogue.js';

const path = new URL('../../../specs/events.md', import.meta.url);
const START = '<!-- catalogue:start -->';
const END = '<!-- catalogue:end -->';
const text = readFileSync(path, 'utf8');
const before = text.slice(0, text.indexOf(START) + START.length);
const after = text.slice(text.indexOf(END));
writeFileSync(path, `${before}\n\n${renderEventCatalogue()}\n${after}`);
