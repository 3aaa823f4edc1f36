// The bundler inlines package.json into dist/cli.js, so the version is the one built.
import packageJson from '../../package.json' with { type: 'json' };

/** Version of the package, printed by `--version`. */
export const VERSION: string = packageJson.version;
