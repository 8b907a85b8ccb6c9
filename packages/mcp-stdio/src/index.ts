export { main } from './cli.js';
export { parseArgs, type StdioArgs } from './args.js';
export { relay } from './relay.js';
