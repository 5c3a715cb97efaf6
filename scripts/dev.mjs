// `npm run dev`: the API from source with reload on change (port 8000) and Vite's dev server
// (port 5173) with /api proxied to it. Ctrl-C stops both.
import { spawn } from 'node:child_process';

const children = [
  spawn(
    process.execPath,
    ['--conditions=@hub/source', '--import', 'tsx', '--watch', 'packages/server/src/main.ts'],
    {
      stdio: 'inherit',
      env: {
        WEB_DIST_DIR: 'none',
        NODE_ENV: 'development',
        // Vite's page on 5173 posts through its proxy with its own Origin (CSRF allow-list).
        ALLOWED_ORIGINS: 'http://127.0.0.1:5173,http://localhost:5173',
        ...process.env,
      },
    },
  ),
  spawn('npm', ['run', 'dev', '-w', '@hub/web'], { stdio: 'inherit' }),
];

function stop() {
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) {
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) process.exitCode = code;
    stop();
  });
}
