// Regenerates generated/ from spec/openapi.yaml and fails when the result differs from the
// committed files, so the spec and the generated SDK cannot drift apart.
import { execFileSync } from 'node:child_process';

const run = (command, args) => execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

run('npx', ['openapi-ts']);
const changes = run('git', ['status', '--porcelain', '--untracked-files=all', '--', 'generated']);

if (changes.trim() !== '') {
  console.error('generated/ differs from what spec/openapi.yaml produces:');
  console.error(changes);
  console.error(run('git', ['diff', '--stat', '--', 'generated']));
  console.error('Run `npm run generate` and commit the result.');
  process.exit(1);
}
console.log('generated/ matches spec/openapi.yaml.');
