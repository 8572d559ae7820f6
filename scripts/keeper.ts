/**
 * `npm run keeper`: the keeper's command line (keeper/cli.ts) under ts-node, for development. The
 * packaged binary is `skew-keeper` (`npm run build:keeper`); both take the same options.
 */
import { main } from "../keeper/cli";

export * from "../keeper/cli";

if (require.main === module) main();
