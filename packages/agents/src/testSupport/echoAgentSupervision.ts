// Moved to ../testing/ (the package's ./testing entry); kept until the tests importing it from here move.
export { echoAgentSupervision } from '../testing/echoAgentSupervision.js';
