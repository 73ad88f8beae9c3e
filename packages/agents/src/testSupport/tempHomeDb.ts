// Moved to ../testing/ (the package's ./testing entry); kept until the tests importing it from here move.
export type { TempHomeDb } from '../testing/tempHomeDb.js';
export { openTempHomeDb } from '../testing/tempHomeDb.js';
